import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import {
  anthropicError,
  anthropicFake,
  anthropicStreamErrorEvent,
  anthropicStreamEvents,
  type FakeHandler,
  type FakeReply,
  FakeUpstream,
  openAIError,
  openAIFake,
} from '../testing/index.js';
import { createKeepAliveAgent } from './keep-alive-agent.js';
import { createUndiciFetch, type Fetch } from './undici-fetch.js';

// The custom transport behaves like the SDKs' own fetch: every scenario runs once with
// the global fetch and once with ours, against the same fake upstream, and must end the same.

const KEY = 'test-key-not-a-secret';
const agent = createKeepAliveAgent();
const TRANSPORTS: [string, Fetch][] = [
  ['global fetch', globalThis.fetch],
  ['undici fetch', createUndiciFetch({ dispatcher: agent })],
];

/** One SDK call shape, as our providers make it. */
interface SdkCalls {
  json(signal?: AbortSignal): Promise<unknown>;
  stream(signal?: AbortSignal): Promise<AsyncIterable<unknown>>;
}

interface Sdk {
  name: string;
  handler: () => FakeHandler;
  error: (status: number, type: string, message: string, headers?: Record<string, string>) => FakeReply;
  streamEvents: () => string[];
  client: (fetch: Fetch, baseURL: string, timeout?: number) => SdkCalls;
}

const SDKS: Sdk[] = [
  {
    name: 'openai',
    handler: () => openAIFake(),
    error: (status, type, message, headers) => openAIError(status, type, message, headers),
    streamEvents: () => {
      const reply = openAIFake()({
        method: 'POST',
        path: '/v1/chat/completions',
        headers: {},
        body: { model: 'gpt-4o-mini', stream: true },
      }) as FakeReply;
      if (reply.kind !== 'sse') throw new Error('expected an SSE reply');
      return reply.events;
    },
    client: (fetch, baseURL, timeout) => {
      const client = new OpenAI({ apiKey: KEY, baseURL: `${baseURL}/v1`, maxRetries: 0, timeout, fetch });
      const body = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] };
      return {
        json: (signal) => client.chat.completions.create({ ...body, stream: false }, { signal }),
        stream: (signal) => client.chat.completions.create({ ...body, stream: true }, { signal }),
      };
    },
  },
  {
    name: 'anthropic',
    handler: () => anthropicFake(),
    error: (status, type, message, headers) => anthropicError(status, type, message, headers),
    streamEvents: () => anthropicStreamEvents({}, 'claude-sonnet-5-5'),
    client: (fetch, baseURL, timeout) => {
      const client = new Anthropic({ apiKey: KEY, baseURL, maxRetries: 0, timeout, fetch });
      const body = {
        model: 'claude-sonnet-5-5',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'Hi' }],
      };
      return {
        json: (signal) => client.post('/v1/messages', { body: { ...body, stream: false }, signal }),
        stream: (signal) =>
          client.post<AsyncIterable<unknown>>('/v1/messages', {
            body: { ...body, stream: true },
            stream: true,
            signal,
          }) as unknown as Promise<AsyncIterable<unknown>>,
      };
    },
  },
];

/** How a call ended, in the terms the SDK gives: its value, or its error's class, status, message, headers. */
interface Outcome {
  value?: unknown;
  error?: {
    class: string;
    name: string;
    status?: number;
    message: string;
    headers?: Record<string, string | null>;
    cause?: string;
  };
}

const SHOWN_HEADERS = ['retry-after', 'retry-after-ms', 'x-should-retry', 'request-id', 'content-type'];

async function outcomeOf(work: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { value: await work() };
  } catch (caught) {
    const error = caught as Error & { status?: number; headers?: Headers; cause?: unknown };
    return {
      error: {
        class: error.constructor.name,
        name: error.name,
        ...(error.status !== undefined ? { status: error.status } : {}),
        message: error.message,
        ...(error.headers
          ? { headers: Object.fromEntries(SHOWN_HEADERS.map((h) => [h, error.headers?.get(h) ?? null])) }
          : {}),
        // By name: global fetch's errors come from outside jest's realm, so the SDK rebuilds them.
        ...(error.cause
          ? { cause: `${(error.cause as Error).name}: ${(error.cause as Error).message}` }
          : {}),
      },
    };
  }
}

async function collect(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const items: unknown[] = [];
  for await (const item of stream) items.push(item);
  return items;
}

/** A base URL where nothing listens. */
async function closedPortUrl(): Promise<string> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `http://127.0.0.1:${port}`;
}

interface Scenario {
  name: string;
  /** Runs the call once; `fake` is reset before. */
  run: (sdk: Sdk, fetch: Fetch, fake: FakeUpstream) => Promise<Outcome>;
  /** What both transports must have given. */
  check: (outcome: Outcome, sdk: Sdk) => void;
}

const errorScenario = (
  status: number,
  type: string,
  errorClass: string,
  anthropicClass = errorClass,
): Scenario => ({
  name: `HTTP ${status} error body → ${errorClass}`,
  run: (sdk, fetch, fake) => {
    fake.enqueue(sdk.error(status, type, `upstream says ${status}`));
    return outcomeOf(() => sdk.client(fetch, fake.url).json());
  },
  check: ({ error }, sdk) => {
    expect(error).toMatchObject({ class: sdk.name === 'anthropic' ? anthropicClass : errorClass, status });
    expect(error?.message).toContain(`upstream says ${status}`);
  },
});

const SCENARIOS: Scenario[] = [
  {
    name: 'JSON success',
    run: (sdk, fetch, fake) => outcomeOf(() => sdk.client(fetch, fake.url).json()),
    check: ({ value, error }) => {
      expect(error).toBeUndefined();
      expect(value).toHaveProperty('id');
    },
  },
  {
    name: 'SSE stream, every event',
    run: (sdk, fetch, fake) => outcomeOf(async () => collect(await sdk.client(fetch, fake.url).stream())),
    check: ({ value }, sdk) => {
      // [DONE] is not an event for the OpenAI SDK; Anthropic's ping is skipped.
      const events = sdk.streamEvents().filter((e) => !e.includes('[DONE]') && !e.includes('event: ping'));
      expect(value).toHaveLength(events.length);
    },
  },
  errorScenario(400, 'invalid_request_error', 'BadRequestError'),
  errorScenario(401, 'authentication_error', 'AuthenticationError'),
  errorScenario(404, 'not_found_error', 'NotFoundError'),
  errorScenario(500, 'api_error', 'InternalServerError'),
  errorScenario(503, 'overloaded_error', 'InternalServerError', 'ServiceUnavailableError'),
  {
    name: '429 with retry-after headers visible on the error',
    run: (sdk, fetch, fake) => {
      fake.enqueue(
        sdk.error(429, 'rate_limit_error', 'slow down', { 'retry-after': '7', 'retry-after-ms': '6500' }),
      );
      return outcomeOf(() => sdk.client(fetch, fake.url).json());
    },
    check: ({ error }) => {
      expect(error).toMatchObject({
        class: 'RateLimitError',
        status: 429,
        headers: { 'retry-after': '7', 'retry-after-ms': '6500' },
      });
    },
  },
  {
    name: 'error body that is not JSON',
    run: (sdk, fetch, fake) => {
      fake.enqueue({
        kind: 'json',
        status: 502,
        body: 'Bad gateway',
        headers: { 'content-type': 'text/plain' },
      });
      return outcomeOf(() => sdk.client(fetch, fake.url).json());
    },
    check: ({ error }) => expect(error).toMatchObject({ class: 'InternalServerError', status: 502 }),
  },
  {
    name: 'an error event inside a 200 stream',
    run: (sdk, fetch, fake) => {
      const events =
        sdk.name === 'anthropic'
          ? [anthropicStreamErrorEvent('overloaded_error', 'Overloaded')]
          : [`data: ${JSON.stringify({ error: { message: 'Overloaded', type: 'server_error' } })}`];
      fake.enqueue({ kind: 'sse', events });
      return outcomeOf(async () => collect(await sdk.client(fetch, fake.url).stream()));
    },
    check: ({ error }) => {
      expect(error?.class).toBe('APIError');
      expect(error?.message).toContain('Overloaded');
    },
  },
  {
    name: 'connection dropped before the answer → APIConnectionError',
    run: (sdk, fetch, fake) => {
      fake.enqueue({ kind: 'drop' });
      return outcomeOf(() => sdk.client(fetch, fake.url).json());
    },
    check: ({ error }) =>
      expect(error).toMatchObject({ class: 'APIConnectionError', cause: 'TypeError: fetch failed' }),
  },
  {
    name: 'connection refused → APIConnectionError',
    run: async (sdk, fetch) => {
      const url = await closedPortUrl();
      return outcomeOf(() => sdk.client(fetch, url).json());
    },
    check: ({ error }) =>
      expect(error).toMatchObject({ class: 'APIConnectionError', cause: 'TypeError: fetch failed' }),
  },
  {
    name: 'stream cut mid-way → the transport error, no quiet end',
    run: (sdk, fetch, fake) => {
      fake.enqueue({ kind: 'sse', events: sdk.streamEvents(), eventDelayMs: 5, dropAfter: 2 });
      return outcomeOf(async () => collect(await sdk.client(fetch, fake.url).stream()));
    },
    check: ({ error }) => expect(error).toMatchObject({ class: 'TypeError', message: 'terminated' }),
  },
  {
    name: 'SDK timeout while waiting for the answer',
    run: (sdk, fetch, fake) => {
      fake.enqueue({ kind: 'json', body: {}, delayMs: 3000 });
      return outcomeOf(() => sdk.client(fetch, fake.url, 100).json());
    },
    check: ({ error }, sdk) => {
      // Under jest's VM realm the OpenAI SDK cannot read fetch's cross-realm DOMException and
      // reports a connection error (see call-signal.ts); in plain Node both SDKs say timeout.
      const expected = sdk.name === 'openai' ? 'APIConnectionError' : 'APIConnectionTimeoutError';
      expect(error?.class).toBe(expected);
    },
  },
  {
    name: 'caller aborted before the call → APIUserAbortError',
    run: (sdk, fetch, fake) => {
      const controller = new AbortController();
      controller.abort();
      return outcomeOf(() => sdk.client(fetch, fake.url).json(controller.signal));
    },
    check: ({ error }) => expect(error?.class).toBe('APIUserAbortError'),
  },
  {
    name: 'caller aborts while the request is in flight → APIUserAbortError',
    run: (sdk, fetch, fake) => {
      const controller = new AbortController();
      // Aborts once the upstream has the request, before it answers.
      fake.handler = () => {
        controller.abort();
        return { kind: 'json', body: {}, delayMs: 3000 };
      };
      return outcomeOf(() => sdk.client(fetch, fake.url).json(controller.signal));
    },
    check: ({ error }) => expect(error?.class).toBe('APIUserAbortError'),
  },
  {
    name: 'caller aborts mid-stream → the stream ends quietly after the first event',
    run: (sdk, fetch, fake) => {
      fake.enqueue({ kind: 'sse', events: sdk.streamEvents(), eventDelayMs: 50 });
      const controller = new AbortController();
      return outcomeOf(async () => {
        let seen = 0;
        for await (const _event of await sdk.client(fetch, fake.url).stream(controller.signal)) {
          seen++;
          controller.abort();
        }
        return { seen, aborted: controller.signal.aborted };
      });
    },
    check: ({ value, error }) => {
      expect(error).toBeUndefined();
      expect(value).toEqual({ seen: 1, aborted: true });
    },
  },
];

describe.each(SDKS)('$name SDK: the undici transport ends every call as the global fetch does', (sdk) => {
  const fake = new FakeUpstream(sdk.handler());
  beforeAll(() => fake.listen());
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.handler = sdk.handler();
    fake.queue.length = 0;
    fake.requests.length = 0;
  });

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const outcomes: Outcome[] = [];
    for (const [, fetch] of TRANSPORTS) {
      fake.handler = sdk.handler();
      fake.queue.length = 0;
      outcomes.push(await scenario.run(sdk, fetch, fake));
    }
    const [viaGlobal, viaUndici] = outcomes as [Outcome, Outcome];
    expect(viaUndici).toEqual(viaGlobal);
    scenario.check(viaUndici, sdk);
  });

  it('sends the same request: method, path, SDK headers and JSON body', async () => {
    const sent = [];
    for (const [, fetch] of TRANSPORTS) {
      await sdk.client(fetch, fake.url).json();
      const { method, path, headers, body } = fake.lastRequest ?? {};
      const {
        host: _h,
        'accept-encoding': _ae,
        'accept-language': _al,
        'sec-fetch-mode': _sf,
        ...rest
      } = headers ?? {};
      sent.push({ method, path, headers: rest, body });
    }
    expect(sent[1]).toEqual(sent[0]);
  });
});

afterAll(() => agent.close());
