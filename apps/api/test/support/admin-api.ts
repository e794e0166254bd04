import { expect } from '@jest/globals';
import { TEST_ADMIN_KEY } from './start-app.js';

/** A response of the admin API: status and parsed JSON body. */
export interface AdminResponse<T = unknown> {
  status: number;
  body: T;
}

/** Calls the admin API with the admin key (or `auth`: another header value, or null for none). */
export async function adminFetch<T = unknown>(
  baseUrl: string,
  path: string,
  init: { method?: string; json?: unknown; body?: string; auth?: string | null } = {},
): Promise<AdminResponse<T>> {
  const headers: Record<string, string> = {};
  const auth = init.auth === undefined ? `Bearer ${TEST_ADMIN_KEY}` : init.auth;
  if (auth !== null) headers.authorization = auth;
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, { method: init.method ?? 'GET', headers, body });
  return { status: res.status, body: (await res.json()) as T };
}

/** An error body in OpenAI's format. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** Asserts an OpenAI-format error with this status and returns its message. */
export function expectOpenAIError(response: AdminResponse, status: number): string {
  expect(response.status).toBe(status);
  const body = response.body as OpenAIErrorBody;
  // What a refusal adds beside the four fields: the budget it hit, or the models it allows.
  const {
    budget: _budget,
    allowed_models: _allowed,
    ...error
  } = body.error as OpenAIErrorBody['error'] & {
    budget?: unknown;
    allowed_models?: unknown;
  };
  expect({ ...body, error }).toEqual({
    error: {
      message: expect.any(String),
      type: expect.any(String),
      param: null,
      code: expect.any(String),
    },
  });
  return body.error.message;
}

/** Creates through the admin API (expecting 201) and returns what it answered: a key, a team. */
export async function adminCreate<T = { id: string }>(
  baseUrl: string,
  path: '/admin/keys' | '/admin/teams',
  json: Record<string, unknown>,
): Promise<T> {
  const res = await adminFetch<T>(baseUrl, path, { method: 'POST', json });
  expect([path, res.status]).toEqual([path, 201]);
  return res.body;
}
