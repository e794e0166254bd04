import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bg from '@prisma/schema-engine-wasm/schema_engine_bg';

/** Prisma's schema engine, compiled to WASM: migrations with no native binary and no network. */
export type SchemaEngine = bg.SchemaEngine;
export type { MigrationList } from '@prisma/schema-engine-wasm/schema_engine_bg';

let started = false;

function startWasm(): void {
  if (started) return;
  // The package's exports hide the .wasm file; it sits beside the JS glue.
  const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = readFileSync(glue.replace(/\.js$/, '.wasm'));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    './schema_engine_bg.js': withUnrefTimers(bg as unknown as WebAssembly.ModuleImports),
  });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  started = true;
}

/**
 * The engine arms 10 s timers it never clears; unref'd, they no longer keep a finished
 * `migrate` command (or a test run) alive for 10 seconds.
 */
function withUnrefTimers(imports: WebAssembly.ModuleImports): WebAssembly.ModuleImports {
  const wrapped: WebAssembly.ModuleImports = { ...imports };
  for (const [name, fn] of Object.entries(imports)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof fn === 'function') {
      wrapped[name] = (...args: unknown[]) => {
        const timer = (fn as (...a: unknown[]) => unknown)(...args);
        (timer as { unref?: () => void })?.unref?.();
        return timer;
      };
    }
  }
  return wrapped;
}

/** A schema engine connected through a driver adapter; `log` receives the engine's log lines. */
export async function createSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: { path: string; content: string },
  log: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  startWasm();
  return bg.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

/** The engine's errors are plain objects or strings; this turns them into an Error with its message. */
export function engineError(error: unknown, action: string): Error {
  if (error instanceof Error) return new Error(`${action}: ${error.message}`, { cause: error });
  const message =
    typeof error === 'string' ? error : ((error as { message?: string })?.message ?? JSON.stringify(error));
  return new Error(`${action}: ${message}`, { cause: error });
}
