import { applyDecorators, type PipeTransform } from '@nestjs/common';
import type { SchemaObject } from '@nestjs/swagger';
import { ApiBody, ApiQuery } from '@nestjs/swagger';
import { z } from 'zod';

/** Input that does not match its schema; each issue names the field and what to fix. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  constructor(readonly issues: string[]) {
    super(issues.join('; '));
  }
}

/** `a.b[0].c` for an issue path. */
function pathOf(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** A pipe validating (and transforming) a body or query with a zod schema. */
export function zodPipe<T extends z.ZodType>(schema: T): PipeTransform<unknown, z.infer<T>> {
  return {
    transform(value: unknown) {
      if (value === undefined || value === null) {
        throw new RequestValidationError(['the request body must be a JSON object']);
      }
      const result = schema.safeParse(value);
      if (result.success) return result.data;
      throw new RequestValidationError(
        result.error.issues.map((issue) => {
          const path = pathOf(issue.path);
          return path ? `${path}: ${issue.message}` : issue.message;
        }),
      );
    },
  };
}

/** The OpenAPI schema of a zod schema, for /docs. */
export function openApiSchema(schema: z.ZodType): SchemaObject {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaObject;
}

/** Documents a body with the very schema that validates it. */
export function ApiZodBody(schema: z.ZodType, description?: string) {
  return ApiBody({ schema: openApiSchema(schema), description });
}

/** Documents each query parameter of an object schema. */
export function ApiZodQuery(schema: z.ZodObject) {
  const json = openApiSchema(schema) as { properties?: Record<string, SchemaObject>; required?: string[] };
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) =>
      ApiQuery({
        name,
        required: json.required?.includes(name) ?? false,
        schema: property,
        description: property.description,
      }),
    ),
  );
}
