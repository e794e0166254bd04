import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// The vendored OpenAI OpenAPI schemas (apps/api's test support; read-only here: it lies
// outside this package's rootDir, so its validator cannot be imported).
const SPEC_PATH = new URL(
  '../../../../../apps/api/test/support/openai-spec/openai-openapi.schemas.json',
  import.meta.url,
);
let ajv: Ajv2020 | undefined;

/** Validation errors of `data` against a schema of the OpenAI spec (empty when it conforms). */
export function specErrors(schemaName: string, data: unknown): string[] {
  if (!ajv) {
    const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as { components: unknown };
    ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    // The spec's own format for Unix times (seconds); any number is one.
    ajv.addFormat('unixtime', true);
    ajv.addSchema({ $id: 'openai', components: withoutNullable(spec.components) });
  }
  const validate = ajv.getSchema(`openai#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`No schema ${schemaName} in the OpenAI spec`);
  return validate(data)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** OpenAPI 3.0's `nullable` as 3.1's `type: [T, 'null']` (as apps/api's openai-spec.ts does). */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withoutNullable(v)]));
  if (nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (nullable === true && Array.isArray(out.enum)) out.enum = [...out.enum, null];
  return out;
}
