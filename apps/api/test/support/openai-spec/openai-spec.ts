import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

// The schemas of the official OpenAI OpenAPI document (OpenAPI 3.1, so JSON Schema 2020-12)
// that the tests use, vendored and trimmed by trim-openai-spec.mjs (source in SOURCE.md).
const SPEC_PATH = new URL('./openai-openapi.schemas.json', import.meta.url);

let ajv: Ajv2020 | undefined;

function load(): Ajv2020 {
  if (ajv) return ajv;
  const spec = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as { components: unknown };
  ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  // The spec's own format for Unix times (seconds); any number is one.
  ajv.addFormat('unixtime', true);
  ajv.addSchema({ $id: 'openai', components: withoutNullable(spec.components) });
  return ajv;
}

/** Validation errors of `data` against a schema of the OpenAI spec (empty when it conforms). */
export function openAISpecErrors(schemaName: string, data: unknown): string[] {
  const validate = load().getSchema(`openai#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`No schema ${schemaName} in the OpenAI spec`);
  return validate(data)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/**
 * A few schemas still carry OpenAPI 3.0's `nullable` (not a 3.1 keyword, and Ajv refuses
 * it without `type`); it becomes the 3.1 form, `type: [T, 'null']`, or is dropped.
 */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (!node || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withoutNullable(v)]));
  if (nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  if (nullable === true && Array.isArray(out.enum)) out.enum = [...out.enum, null];
  return out;
}
