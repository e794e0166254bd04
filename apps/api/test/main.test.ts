import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';

// These run the built service (`dist/main.js`) as a user would, as its own process.
const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Service {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(env: Record<string, string>, cwd: string, nodeArgs: string[] = []): Service {
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

async function waitForHealth(url: string, service: Service, timeoutMs = 30_000): Promise<Response> {
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

describe('the built service with no configuration', () => {
  let cwd: string;
  let service: Service;
  let url: string;
  beforeAll(async () => {
    expect(existsSync(MAIN)).toBe(true);
    cwd = await mkdtemp(join(tmpdir(), 'aigw-main-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // As an operator might run it: a diagnostic report on SIGUSR2 (see the test below).
    service = run({ PORT: String(port) }, cwd, ['--report-on-signal', `--report-directory=${cwd}`]);
  });
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

describe('the built service with a wrong environment', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'aigw-badenv-'));
  });
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number from 1 to 65535 (got "abc")'],
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
