import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built service (`dist/main.js`), run as a user would, as its own process. */
export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** A running service process and what it printed. */
export interface Service {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `dist/main.js` with exactly `env` (nothing inherited) in `cwd`. */
export function run(env: Record<string, string>, cwd: string, nodeArgs: string[] = []): Service {
  // Only what the test names: no DATABASE_URL, no keys, nothing inherited.
  const child = spawn(process.execPath, [...nodeArgs, MAIN], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** The port the service says it listens on (its "Listening on" log line). */
export async function listeningPort(service: Service, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const port = service.stdout().match(/Listening on http:\/\/[^\s:]+:(\d+)/)?.[1];
    if (port) return Number(port);
    if (Date.now() > deadline || service.child.exitCode !== null)
      throw new Error(`service did not start: ${service.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until /health answers at all (any status). */
export async function waitForHealth(url: string, service: Service, timeoutMs = 30_000): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(`${url}/health`);
    } catch (error) {
      if (Date.now() > deadline || service.child.exitCode !== null) {
        throw new Error(`service did not answer: ${service.stderr()}`, { cause: error });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
