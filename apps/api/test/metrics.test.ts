import { type FakeReply, openAIError, openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { DatabaseService } from '../src/database/database.service.js';
import { type Gateway, startGateway } from './support/gateway.js';
import { TEST_ADMIN_KEY } from './support/start-app.js';

// ---------------------------------------------------------------------------------------
// A strict parser of the Prometheus text exposition format (0.0.4): it throws on any
// line that is not a HELP/TYPE/comment line, a blank line, or a well-formed sample.

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Family {
  name: string;
  help?: string;
  type?: MetricType;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set<string>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const SUFFIXES: Record<MetricType, string[]> = {
  counter: [''],
  gauge: [''],
  untyped: [''],
  histogram: ['_bucket', '_sum', '_count'],
  summary: ['', '_sum', '_count'],
};

/** A sample value as Prometheus reads it (Go's ParseFloat: Inf and NaN in any case; prom-client writes `Nan`). */
function parseValue(text: string, line: string): number {
  if (/^[+]?inf$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value in: ${line}`);
  return Number(text);
}

/** Parses `{a="x",b="y\"z"}` starting at `text[0] === '{'`; returns the labels and the rest. */
function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (text[i] === ' ') i++;
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) };
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`bad labels in: ${line}`);
    const name = text.slice(i, eq).trim();
    if (!LABEL_NAME.test(name)) throw new Error(`bad label name "${name}" in: ${line}`);
    if (name in labels) throw new Error(`repeated label "${name}" in: ${line}`);
    if (text[eq + 1] !== '"') throw new Error(`unquoted label value in: ${line}`);
    let value = '';
    let j = eq + 2;
    for (; ; j++) {
      const c = text[j];
      if (c === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[++j];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape in: ${line}`);
      } else value += c;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw new Error(`expected , or } in: ${line}`);
  }
}

function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) {
      f = { name, samples: [] };
      families.set(name, f);
    }
    return f;
  };
  const familyOf = (sampleName: string): Family | undefined => {
    for (const f of families.values()) {
      if (!f.type) continue;
      for (const suffix of SUFFIXES[f.type]) if (`${f.name}${suffix}` === sampleName) return f;
    }
    return undefined;
  };
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
      if (!meta) continue; // a plain comment
      const [, kind, name = '', rest = ''] = meta;
      if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
      const f = family(name);
      if (kind === 'HELP') {
        if (f.help !== undefined) throw new Error(`second HELP for ${name}`);
        f.help = rest;
      } else {
        if (!TYPES.has(rest)) throw new Error(`bad type in: ${line}`);
        if (f.type !== undefined || f.samples.length) throw new Error(`TYPE of ${name} after its samples`);
        f.type = rest as MetricType;
      }
      continue;
    }
    const name = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0];
    if (!name) throw new Error(`bad sample line: ${line}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const parts = rest.trim().split(/\s+/);
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2)
      throw new Error(`bad sample line: ${line}`);
    const value = parseValue(parts[0] ?? '', line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`bad timestamp in: ${line}`);
    const owner = familyOf(name);
    if (!owner) throw new Error(`sample of an undeclared metric: ${line}`);
    owner.samples.push({ name, labels, value });
  }
  for (const f of families.values()) {
    if (!f.type) throw new Error(`${f.name} has HELP but no TYPE`);
    if (f.type === 'histogram') checkHistogram(f);
  }
  return families;
}

/** Each histogram series: cumulative buckets ending in +Inf, whose count equals `_count`. */
function checkHistogram(f: Family): void {
  const series = new Map<string, { buckets: Sample[]; count?: number }>();
  for (const s of f.samples) {
    const { le, ...rest } = s.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    const entry = series.get(key) ?? { buckets: [] };
    series.set(key, entry);
    if (s.name.endsWith('_bucket')) {
      if (le === undefined) throw new Error(`${f.name}: a bucket without le`);
      entry.buckets.push(s);
    } else if (s.name.endsWith('_count')) entry.count = s.value;
  }
  for (const [key, { buckets, count }] of series) {
    const last = buckets.at(-1);
    if (last?.labels.le !== '+Inf') throw new Error(`${f.name} ${key}: no +Inf bucket`);
    if (last.value !== count) throw new Error(`${f.name} ${key}: +Inf bucket differs from _count`);
    for (let i = 1; i < buckets.length; i++)
      if ((buckets[i]?.value ?? 0) < (buckets[i - 1]?.value ?? 0))
        throw new Error(`${f.name} ${key}: buckets are not cumulative`);
  }
}

/** The sum of the samples of `name` whose labels include `where`. */
function sum(families: Map<string, Family>, name: string, where: Record<string, string> = {}): number {
  let total = 0;
  for (const f of families.values())
    for (const s of f.samples)
      if (s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v)) total += s.value;
  return total;
}

function samplesOf(families: Map<string, Family>, name: string): Sample[] {
  return [...families.values()].flatMap((f) => f.samples.filter((s) => s.name === name));
}

// ---------------------------------------------------------------------------------------

const OPENAI = { provider: 'openai', model: 'gpt-4o-mini' };
const CLAUDE = { provider: 'anthropic', model: 'claude-sonnet-4-5' };
const EMBEDDING = { provider: 'openai', model: 'text-embedding-3-small' };

describe('GET /metrics after a scripted set of calls', () => {
  let gateway: Gateway;
  let client: OpenAI;
  let key: string;
  let families: Map<string, Family>;
  let response: Response;
  let text: string;

  const scrape = async () => parseExposition(await (await fetch(`${gateway.url}/metrics`)).text());

  beforeAll(async () => {
    gateway = await startGateway();
    key = (await gateway.issueKey('metrics-user')).key;
    client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'Hi' }];
    const drain = async (model: string) => {
      const stream = await client.chat.completions.create({
        model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
      });
      for await (const _ of stream) {
        // drain
      }
    };

    // OpenAI model: two plain calls, one stream; Claude: one plain call, one stream.
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages });
    await drain('gpt-4o-mini');
    await client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages });
    await drain('anthropic/claude-sonnet-4-5');
    // One call the upstream fails with a 500.
    gateway.openai.enqueue(openAIError(500, 'server_error', 'boom'));
    await expect(client.chat.completions.create({ model: 'gpt-4o-mini', messages })).rejects.toThrow();
    // One embeddings call: 'hello' and 'world!' are 2 tokens each for the fake.
    await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['hello', 'world!'],
      encoding_format: 'float',
    });
    // An admin route with an id in its URL, and a URL no route matches.
    await fetch(`${gateway.url}/admin/keys/00000000-0000-0000-0000-000000000000`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
    });
    await fetch(`${gateway.url}/no/such/route/123`);

    response = await fetch(`${gateway.url}/metrics`);
    text = await response.text();
    families = parseExposition(text);
  });
  afterAll(() => gateway?.close());

  it('answers in the Prometheus text format, every line valid, with process metrics', () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const f of families.values()) {
      expect(f.help).toBeDefined();
      expect(f.name.startsWith('aigw_')).toBe(true);
    }
    expect(families.get('aigw_process_cpu_seconds_total')?.type).toBe('counter');
    expect(families.get('aigw_nodejs_heap_size_total_bytes')?.type).toBe('gauge');
    expect(families.get('aigw_provider_request_duration_seconds')?.type).toBe('histogram');
    expect(families.get('aigw_circuit_breaker_state')?.type).toBe('gauge');
    expect(families.get('aigw_limiter_rejections_total')?.type).toBe('counter');
  });

  it('counts each attempt per provider, model, request type, stream and outcome', () => {
    const requests = 'aigw_provider_requests_total';
    const chat = { request_type: 'chat' };
    expect(sum(families, requests, { ...OPENAI, ...chat, stream: 'false', outcome: 'success' })).toBe(2);
    expect(sum(families, requests, { ...OPENAI, ...chat, stream: 'true', outcome: 'success' })).toBe(1);
    expect(sum(families, requests, { ...OPENAI, ...chat, stream: 'false', outcome: 'error' })).toBe(1);
    expect(sum(families, requests, { ...CLAUDE, ...chat, stream: 'false', outcome: 'success' })).toBe(1);
    expect(sum(families, requests, { ...CLAUDE, ...chat, stream: 'true', outcome: 'success' })).toBe(1);
    expect(sum(families, requests, { ...CLAUDE, outcome: 'error' })).toBe(0);
    expect(
      sum(families, requests, {
        ...EMBEDDING,
        request_type: 'embedding',
        stream: 'false',
        outcome: 'success',
      }),
    ).toBe(1);
    expect(sum(families, requests)).toBe(7);
  });

  it('counts the failure under its error code', () => {
    expect(samplesOf(families, 'aigw_provider_errors_total')).toEqual([
      { name: 'aigw_provider_errors_total', labels: { ...OPENAI, code: 'upstream_error' }, value: 1 },
    ]);
  });

  it('counts the tokens the upstreams reported, by kind', () => {
    const tokens = (labels: Record<string, string>, kind: string) =>
      sum(families, 'aigw_tokens_total', { ...labels, kind });
    // OpenAI fake: 21 prompt / 9 completion per successful chat call (3 of them).
    expect(tokens(OPENAI, 'input')).toBe(63);
    expect(tokens(OPENAI, 'output')).toBe(27);
    expect(tokens(OPENAI, 'cache_read')).toBe(0);
    // Anthropic fake: input 25 + cache reads 3000 + cache writes 1200 = 4225, 12 output (2 calls).
    expect(tokens(CLAUDE, 'input')).toBe(2 * 4225);
    expect(tokens(CLAUDE, 'cache_read')).toBe(2 * 3000);
    expect(tokens(CLAUDE, 'cache_write')).toBe(2 * 1200);
    expect(tokens(CLAUDE, 'output')).toBe(2 * 12);
    expect(tokens(EMBEDDING, 'input')).toBe(4);
    // Only known counts are added: every series is a real number.
    for (const s of samplesOf(families, 'aigw_tokens_total')) expect(Number.isFinite(s.value)).toBe(true);
  });

  it('adds up the cost of the calls as the usage rows have it', async () => {
    await gateway.flushUsage();
    const rows = await gateway.running.app.get(DatabaseService).prisma.aIUsageLog.findMany();
    expect(rows).toHaveLength(7);
    for (const target of [OPENAI, CLAUDE, EMBEDDING]) {
      const billed = rows
        .filter((r) => r.provider === target.provider && r.model === target.model && r.costUsd !== null)
        .reduce((total, r) => total + Number(r.costUsd), 0);
      expect(billed).toBeGreaterThan(0);
      expect(sum(families, 'aigw_cost_usd_total', target)).toBeCloseTo(billed, 10);
    }
    expect(sum(families, 'aigw_unpriced_requests_total')).toBe(0);
  });

  it('times every attempt: histogram counts equal the attempts, time to first token for streams', () => {
    const duration = 'aigw_provider_request_duration_seconds_count';
    expect(sum(families, duration, OPENAI)).toBe(4);
    expect(sum(families, duration, CLAUDE)).toBe(2);
    expect(sum(families, duration, EMBEDDING)).toBe(1);
    const ttft = 'aigw_provider_time_to_first_token_seconds_count';
    expect(sum(families, ttft, OPENAI)).toBe(1);
    expect(sum(families, ttft, CLAUDE)).toBe(1);
    expect(sum(families, ttft, EMBEDDING)).toBe(0);
    const buckets = samplesOf(families, 'aigw_provider_request_duration_seconds_bucket').map(
      (s) => s.labels.le,
    );
    expect(buckets).toEqual(expect.arrayContaining(['0.05', '120', '+Inf']));
  });

  it('counts HTTP requests by route pattern, never by raw URL, and not /metrics itself', () => {
    const http = 'aigw_http_requests_total';
    const chat = { route: '/v1/chat/completions', method: 'POST' };
    expect(sum(families, http, { ...chat, status: '200' })).toBe(5);
    expect(sum(families, http, chat)).toBe(6);
    expect(sum(families, http, { route: '/v1/embeddings', method: 'POST', status: '200' })).toBe(1);
    expect(sum(families, http, { route: '/admin/keys/:id', method: 'DELETE' })).toBe(1);
    expect(sum(families, http, { route: 'unmatched', method: 'GET', status: '404' })).toBe(1);
    const routes = samplesOf(families, http).map((s) => s.labels.route);
    expect(routes).not.toContain('/metrics');
    expect(routes.some((r) => r?.includes('0000') || r?.includes('123'))).toBe(false);
    expect(sum(families, 'aigw_http_request_duration_seconds_count', chat)).toBe(6);
  });

  it('keeps one registry per app: a second scrape sees the same counts, not doubled', async () => {
    const again = await scrape();
    expect(sum(again, 'aigw_provider_requests_total')).toBe(7);
    expect(sum(again, 'aigw_http_requests_total', { route: '/metrics' })).toBe(0);
  });

  it('counts a call to a model without a price as unpriced, its tokens but no cost', async () => {
    await client.chat.completions.create({
      model: 'openai/ft-unpriced-model',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const after = await scrape();
    const unpriced = { provider: 'openai', model: 'ft-unpriced-model' };
    expect(sum(after, 'aigw_unpriced_requests_total', unpriced)).toBe(1);
    expect(sum(after, 'aigw_unpriced_requests_total')).toBe(1);
    expect(sum(after, 'aigw_tokens_total', { ...unpriced, kind: 'input' })).toBe(21);
    expect(samplesOf(after, 'aigw_cost_usd_total').some((s) => s.labels.model === unpriced.model)).toBe(
      false,
    );
  });

  it('records a stream the upstream cut mid-way as an error of that attempt', async () => {
    const original = gateway.openai.handler;
    gateway.openai.handler = async (req) => {
      const reply = await openAIFake({ chunkSize: 3, eventDelayMs: 20 })(req);
      return { ...reply, dropAfter: 3 } as FakeReply;
    };
    try {
      await expect(
        (async () => {
          const stream = await client.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'Hi' }],
            stream: true,
          });
          for await (const _ of stream) {
            // drain until the cut
          }
        })(),
      ).rejects.toThrow();
    } finally {
      gateway.openai.handler = original;
    }
    const after = await scrape();
    const attempt = { ...OPENAI, request_type: 'chat', stream: 'true' };
    expect(sum(after, 'aigw_provider_requests_total', { ...attempt, outcome: 'error' })).toBe(1);
    expect(sum(after, 'aigw_provider_errors_total', OPENAI)).toBe(2);
    expect(sum(after, 'aigw_provider_time_to_first_token_seconds_count', OPENAI)).toBe(2);
  });

  it('records a stream the caller walked away from as aborted', async () => {
    const original = gateway.openai.handler;
    gateway.openai.handler = openAIFake({
      text: 'a fairly long answer that takes a while to stream out',
      chunkSize: 3,
      eventDelayMs: 30,
    });
    try {
      const abort = new AbortController();
      const res = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        signal: abort.signal,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'gpt-4o-mini',
          stream: true,
          messages: [{ role: 'user', content: 'x' }],
        }),
      });
      const reader = res.body?.getReader();
      await reader?.read();
      await reader?.read();
      abort.abort();
      let aborted = 0;
      for (let i = 0; i < 50 && aborted === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        aborted = sum(await scrape(), 'aigw_provider_errors_total', { ...OPENAI, code: 'aborted' });
      }
      expect(aborted).toBe(1);
    } finally {
      gateway.openai.handler = original;
    }
  });
});

describe.each(['METRICS_TOKEN', 'METRICS_BEARER_TOKEN (its former name)'])(
  'GET /metrics with %s',
  (variable) => {
    const TOKEN = 'metrics-token-0123456789abcdef';
    let gateway: Gateway;

    beforeAll(async () => {
      gateway = await startGateway({ [variable.split(' ')[0] as string]: TOKEN });
    });
    afterAll(() => gateway?.close());

    it('answers 401 without the token or with a wrong one', async () => {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: 'Bearer wrong-token-0123456789' },
        { authorization: TOKEN },
      ];
      for (const headers of attempts) {
        const res = await fetch(`${gateway.url}/metrics`, { headers });
        expect(res.status).toBe(401);
        expect(await res.text()).not.toContain('aigw_');
      }
    });

    it('answers with the metrics given the token', async () => {
      const res = await fetch(`${gateway.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(200);
      const families = parseExposition(await res.text());
      expect(families.has('aigw_provider_requests_total')).toBe(true);
    });

    it('never writes the token to the logs', () => {
      expect(gateway.running.logs.text).not.toContain(TOKEN);
    });
  },
);
