import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeUpstream, openAIFake } from '@aigw/ai/testing';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { listeningPort, MAIN, run, type Service, waitForHealth } from './support/service-process.js';

// How long a service process may take to start (and answer /health) on a loaded machine.
const STARTUP_MS = 90_000;

describe('the built service with no configuration', () => {
  let cwd: string;
  let service: Service;
  let url: string;
  beforeAll(async () => {
    expect(existsSync(MAIN)).toBe(true);
    cwd = await mkdtemp(join(tmpdir(), 'aigw-main-'));
    // PORT=0: the system picks a free port, which the service says it listens on (a port
    // found free here could be taken by another test's server before the service binds it).
    // As an operator might run it: a diagnostic report on SIGUSR2 (see the test below).
    service = run({ PORT: '0' }, cwd, ['--report-on-signal', `--report-directory=${cwd}`]);
    url = `http://127.0.0.1:${await listeningPort(service, STARTUP_MS)}`;
  }, 180_000);
  afterAll(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await rm(cwd, { recursive: true, force: true });
  });

  it('starts on embedded PGlite in ./.data and answers /health with 200', async () => {
    const res = await waitForHealth(url, service);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up', kind: 'pglite' } },
    });
    expect(existsSync(join(cwd, '.data', 'PG_VERSION'))).toBe(true);
  });

  it('prints the generated admin key exactly once', () => {
    const keys = service.stdout().match(/sk-admin-[A-Za-z0-9_-]{20,}/g) ?? [];
    expect(keys).toHaveLength(1);
    for (const line of service.stdout().trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("keeps serving after SIGUSR2, Node's diagnostics signal (a report here, or a heap snapshot)", async () => {
    await waitForHealth(url, service);
    service.child.kill('SIGUSR2');
    const deadline = Date.now() + 10_000;
    while (!readdirSync(cwd).some((f) => f.startsWith('report.') && f.endsWith('.json'))) {
      if (Date.now() > deadline) throw new Error('no diagnostic report was written');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(service.child.exitCode).toBeNull();
    expect((await fetch(`${url}/health`)).status).toBe(200);
    expect(service.stdout()).not.toContain('Database closed');
  });

  it('shuts down gracefully on SIGTERM: a stream under way finishes, a connection with no request is closed, the database is closed', async () => {
    const admin = service.stdout().match(/sk-admin-[A-Za-z0-9_-]{20,}/)?.[0];
    const issued = await fetch(`${url}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'shutdown-user' }),
    });
    const { key } = (await issued.json()) as { key: string };
    const streaming = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'demo-chat',
        stream: true,
        messages: [{ role: 'user', content: 'Tell me about the sea, at length.' }],
      }),
    });
    const reader = (streaming.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = decoder.decode((await reader.read()).value);
    // A connection on which no request ever comes (a load balancer's spare, say): Node
    // counts it as busy until its headers time out (60 s), past SHUTDOWN_TIMEOUT_MS's
    // forced exit (10 s, code 1), unless the shutdown closes it.
    const { port } = new URL(url);
    const unused = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => unused.once('connect', resolve));
    const unusedClosed = new Promise((resolve) => unused.once('close', resolve));
    unused.on('error', () => {});

    service.child.kill('SIGTERM');
    for (let part = await reader.read(); !part.done; part = await reader.read()) {
      text += decoder.decode(part.value);
    }
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    const { code, signal } = await service.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(service.stdout()).toContain('Database closed');
    await unusedClosed;
  });
});

describe('the built service on SIGTERM with 20 streams in flight', () => {
  let cwd: string;
  let service: Service;
  let url: string;
  const upstream = new FakeUpstream(
    // 20 chunks, 150 ms apart: a stream of about 3 s.
    openAIFake({ text: 'a'.repeat(100), chunkSize: 5, eventDelayMs: 150 }),
  );
  const ADMIN = 'sk-admin-sigterm-0123456789abcdef';
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'aigw-sigterm-'));
    const base = await upstream.listen();
    service = run(
      {
        PORT: '0',
        ADMIN_API_KEY: ADMIN,
        OPENAI_API_KEY: 'sk-proj-UPSTREAMKEYUPSTREAMKEY0009',
        OPENAI_BASE_URL: `${base}/v1`,
        SHUTDOWN_TIMEOUT_MS: '8000',
      },
      cwd,
    );
    url = `http://127.0.0.1:${await listeningPort(service, STARTUP_MS)}`;
    await waitForHealth(url, service, STARTUP_MS);
  }, 180_000);
  afterAll(async () => {
    if (service.child.exitCode === null) service.child.kill('SIGKILL');
    await upstream.close();
    await rm(cwd, { recursive: true, force: true });
  });

  it('ends every stream with its last event, refuses new calls, and exits within SHUTDOWN_TIMEOUT_MS', async () => {
    const issued = await fetch(`${url}/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'sigterm' }),
    });
    const { key } = (await issued.json()) as { key: string };
    const call = (stream: boolean) =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'Hi' }] }),
      });
    const streams = await Promise.all(Array.from({ length: 20 }, () => call(true)));
    expect(streams.map((s) => s.status)).toEqual(Array(20).fill(200));
    const readers = streams.map((s) => (s.body as ReadableStream<Uint8Array>).getReader());
    // Every stream has begun before the signal.
    const texts = await Promise.all(
      readers.map(async (r) => new TextDecoder().decode((await r.read()).value)),
    );

    service.child.kill('SIGTERM');
    // Once the service has the signal, a new call is not served: 503 on a connection still
    // open, or no connection at all. (A loaded machine may deliver the signal late: until
    // then a call is still served, so the late call is tried again for up to 5 s.)
    const lateCall = () =>
      call(false).then(
        async (res) => {
          await res.arrayBuffer().catch(() => undefined);
          return res.status;
        },
        () => 'refused' as const,
      );
    const deadline = Date.now() + 5000;
    await new Promise((r) => setTimeout(r, 200));
    let late = await lateCall();
    while (late !== 503 && late !== 'refused' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      late = await lateCall();
    }
    expect([503, 'refused']).toContain(late);

    const ends = await Promise.all(
      readers.map(async (reader, i) => {
        let text = texts[i] ?? '';
        const decoder = new TextDecoder();
        for (let part = await reader.read(); !part.done; part = await reader.read())
          text += decoder.decode(part.value, { stream: true });
        return text.trim().endsWith('data: [DONE]');
      }),
    );
    expect(ends).toEqual(Array(20).fill(true));
    const { code, signal } = await service.exited;
    // Nest raises the signal again once closed: the process ends by it, not by the forced exit
    // (code 1) that SHUTDOWN_TIMEOUT_MS after the signal would have been.
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(service.stdout()).toContain('Database closed');
  });
});

describe('the built service with a wrong environment', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'aigw-badenv-'));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number from 0 (any free port) to 65535 (got "abc")'],
    [
      { DATABASE_URL: 'mysql://root:hunter2secret@db:3306/x' },
      'DATABASE_URL: must be a URL like postgresql://',
    ],
    [{ MIGRATE_ON_START: 'sometimes' }, 'MIGRATE_ON_START: must be true or false'],
  ])('refuses to start with %j, naming the variable', async (env, message) => {
    const service = run(env, cwd);
    const { code } = await service.exited;
    expect(code).toBe(1);
    expect(service.stderr()).toContain(message);
    expect(service.stderr()).not.toContain('hunter2secret');
    expect(service.stderr()).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
