import { createServer, type Server } from 'node:http';
import { openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { Tracing } from '../src/tracing/tracing.js';
import { TRACING } from '../src/tracing/tracing.module.js';
import { type Gateway, startGateway } from './support/gateway.js';

/** A span as OTLP/JSON carries it, with its attributes flattened. */
interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  status?: { code?: number; message?: string };
  events?: { name: string }[];
  attributes: Record<string, unknown>;
}

type OtlpValue = {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
};

/** An in-process OTLP/HTTP receiver: what a collector would get on /v1/traces. */
class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  private readonly server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => {
      body += d.toString();
    });
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as {
          resourceSpans: {
            scopeSpans: { spans: (ReceivedSpan & { attributes: { key: string; value: OtlpValue }[] })[] }[];
          }[];
        };
        for (const rs of payload.resourceSpans)
          for (const ss of rs.scopeSpans)
            for (const span of ss.spans)
              this.spans.push({
                ...span,
                attributes: Object.fromEntries(
                  span.attributes.map(({ key, value }) => [
                    key,
                    value.stringValue ??
                      (value.intValue !== undefined
                        ? Number(value.intValue)
                        : (value.boolValue ?? value.doubleValue)),
                  ]),
                ),
              });
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

describe('OpenTelemetry traces over OTLP (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  const receiver = new OtlpReceiver();
  let gateway: Gateway;
  let flush: () => Promise<void>;

  beforeAll(async () => {
    const endpoint = await receiver.listen();
    gateway = await startGateway({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'aigw-test' });
    const tracing = gateway.running.app.get(TRACING) as Tracing;
    expect(tracing).toBeInstanceOf(Tracing);
    flush = () => tracing.flush();
  });
  afterAll(async () => {
    await gateway?.close();
    await receiver.close();
  });

  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const parentId = '00f067aa0ba902b7';

  it('continues an incoming traceparent: a request span, and a child span per provider attempt with GenAI attributes and cost', async () => {
    gateway.openai.handler = openAIFake({
      usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 },
    });
    const { key } = await gateway.issueKey('tracy');
    const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'a secret prompt' }], max_tokens: 50 },
      { headers: { traceparent: `00-${traceId}-${parentId}-01` } },
    );
    await flush();
    const request = receiver.spans.find((s) => s.name === 'POST /v1/chat/completions');
    expect(request).toMatchObject({ traceId, parentSpanId: parentId, kind: 2 });
    expect(request?.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
    });
    const attempt = receiver.spans.find((s) => s.name === 'chat gpt-4o-mini');
    expect(attempt).toMatchObject({ traceId, parentSpanId: request?.spanId, kind: 3 });
    expect(attempt?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.request.max_tokens': 50,
      // gpt-4o-mini: 12 x $0.15 + 30 x $0.60 per 1M.
      'aigw.cost_usd': '0.000019800000',
    });
    // Content is not recorded unless asked for.
    expect(JSON.stringify(receiver.spans)).not.toContain('a secret prompt');
    // Nor is any key.
    expect(JSON.stringify(receiver.spans)).not.toContain(key);
  });

  it('records a failed attempt on its span, and streams end their span at their last part', async () => {
    gateway.openai.enqueue({
      kind: 'json',
      status: 500,
      body: { error: { message: 'upstream broke', type: 'server_error' } },
    });
    const { key } = await gateway.issueKey('failing');
    const client = new OpenAI({ apiKey: key, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    await expect(
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] }),
    ).rejects.toThrow();
    gateway.openai.handler = openAIFake({
      usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
    });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hi' }],
    });
    for await (const _chunk of stream) {
      // drain
    }
    await flush();
    const failed = receiver.spans.filter((s) => s.name === 'chat gpt-4o');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.status?.code).toBe(2);
    expect(failed[0]?.attributes['error.type']).toBe('upstream_error');
    expect(failed[0]?.events?.map((e) => e.name)).toContain('exception');
    const request = receiver.spans.find(
      (s) => s.name === 'POST /v1/chat/completions' && s.attributes['http.response.status_code'] === 502,
    );
    expect(request?.status?.code).toBe(2);
    const streamed = receiver.spans.filter(
      (s) => s.name === 'chat gpt-4o-mini' && s.attributes['aigw.stream'] === true,
    );
    expect(streamed[0]?.attributes).toMatchObject({ 'gen_ai.usage.output_tokens': 5 });
  });
});

describe('tracing off', () => {
  it('starts nothing without an OTLP endpoint', () => {
    expect(Tracing.start({ OTEL_SERVICE_NAME: 'aigw' })).toBeUndefined();
  });
});
