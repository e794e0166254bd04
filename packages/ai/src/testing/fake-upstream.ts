import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fake upstream received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /**
   * The parsed JSON; for `multipart/form-data`, an object of the text fields (a name sent
   * several times, like `timestamp_granularities[]`, holds an array) and file parts as
   * RecordedFile under their field name; else the text (undefined when empty).
   */
  body: unknown;
  /** The bytes received, as they came. */
  rawBody?: Buffer;
}

/** A file part of a multipart request, as the fake upstream received it. */
export interface RecordedFile {
  filename: string;
  contentType: string;
  size: number;
  bytes: Buffer;
}

/** What the fake upstream answers with. */
export type FakeReply =
  | { kind: 'json'; status?: number; body: unknown; headers?: Record<string, string>; delayMs?: number }
  /** Server-sent events: each entry is one event's full text (`event: x\ndata: {...}`), sent in order. */
  | {
      kind: 'sse';
      events: string[];
      headers?: Record<string, string>;
      /** Wait before the first byte. */
      delayMs?: number;
      /** Wait between events. */
      eventDelayMs?: number;
      /** Destroy the connection after this many events (a stream cut mid-way). */
      dropAfter?: number;
    }
  /** Raw bytes (audio, or a text/plain, srt or vtt answer) written chunk by chunk (chunked transfer). */
  | {
      kind: 'bytes';
      status?: number;
      contentType: string;
      chunks: (Buffer | string)[];
      headers?: Record<string, string>;
      /** Wait before the first byte. */
      delayMs?: number;
      /** Wait between chunks. */
      chunkDelayMs?: number;
      /** Destroy the connection after this many chunks (an answer cut mid-way). */
      dropAfter?: number;
    }
  /** Close the socket without answering. */
  | { kind: 'drop' };

/** Decides the reply to a request; tests swap it or queue one-off replies. */
export type FakeHandler = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/**
 * A local HTTP server standing in for a provider's API (tests mock at the HTTP
 * boundary, so the real SDKs do real HTTP). Replies come from `queue` first, then
 * from `handler`.
 */
export class FakeUpstream {
  readonly requests: RecordedRequest[] = [];
  readonly queue: FakeReply[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<import('node:net').Socket>();

  constructor(public handler: FakeHandler) {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** Starts on a random loopback port; returns the base URL (no trailing slash). */
  async listen(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this.url;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Replies once with `reply` before going back to the handler. */
  enqueue(...replies: FakeReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  get lastRequest(): RecordedRequest | undefined {
    return this.requests.at(-1);
  }

  /** The JSON body of the last request (throws when there was none). */
  // biome-ignore lint/suspicious/noExplicitAny: test helper: bodies are asserted field by field
  get lastBody(): Record<string, any> {
    const last = this.requests.at(-1);
    if (!last) throw new Error('the fake upstream has received no request');
    return last.body as Record<string, unknown>;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close').catch(() => {});
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    const contentType = req.headers['content-type'] ?? '';
    let body: unknown;
    if (/^multipart\/form-data\b/i.test(contentType)) {
      body = await parseMultipart(rawBody, contentType);
    } else {
      const text = rawBody.toString('utf8');
      body = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        // Not JSON: keep the text.
      }
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body,
      rawBody,
    };
    this.requests.push(recorded);
    const reply = this.queue.shift() ?? (await this.handler(recorded));
    await send(res, reply);
  }
}

/**
 * A multipart body as an object: text fields as strings, file parts as RecordedFile; a
 * name sent several times holds an array. A body that does not parse is kept as text.
 */
async function parseMultipart(raw: Buffer, contentType: string): Promise<unknown> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return raw.toString('utf8');
  }
  const fields: Record<string, unknown> = {};
  const entries: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => {
    entries.push([name, value]);
  });
  for (const [name, value] of entries) {
    const entry: unknown =
      typeof value === 'string'
        ? value
        : ({
            filename: value.name,
            contentType: value.type,
            size: value.size,
            bytes: Buffer.from(await value.arrayBuffer()),
          } satisfies RecordedFile);
    const before = fields[name];
    if (before === undefined) fields[name] = entry;
    else if (Array.isArray(before)) before.push(entry);
    else fields[name] = [before, entry];
  }
  return fields;
}

// Unref'd: a reply still waiting must not keep a finished test run alive.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

async function send(res: ServerResponse, reply: FakeReply): Promise<void> {
  if (reply.kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  if (reply.delayMs) await sleep(reply.delayMs);
  if (res.destroyed) return;
  if (reply.kind === 'json') {
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end(JSON.stringify(reply.body));
    return;
  }
  if (reply.kind === 'bytes') {
    // No content-length: Node sends the body chunked, one chunk per write.
    res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType, ...reply.headers });
    for (const [i, chunk] of reply.chunks.entries()) {
      if (reply.dropAfter !== undefined && i >= reply.dropAfter) {
        res.socket?.destroy();
        return;
      }
      if (i > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
      if (res.destroyed) return;
      res.write(chunk);
    }
    res.end();
    return;
  }
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...reply.headers,
  });
  for (const [i, event] of reply.events.entries()) {
    if (reply.dropAfter !== undefined && i >= reply.dropAfter) {
      res.socket?.destroy();
      return;
    }
    if (i > 0 && reply.eventDelayMs) await sleep(reply.eventDelayMs);
    if (res.destroyed) return;
    res.write(`${event}\n\n`);
  }
  res.end();
}
