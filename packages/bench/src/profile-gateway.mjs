// `pnpm bench:profile`: where the gateway's CPU goes. Starts the mock upstream and the
// gateway under `node --cpu-prof`, drives non-streaming OpenAI chat at 50 connections
// (PROFILE_CONNECTIONS; PROFILE_PATH=/v1/messages for Anthropic, PROFILE_STREAM=1 for streams),
// stops the gateway gracefully (which writes the profile) and prints self time by
// function and by package. PROFILE_HEAP=1: where its allocations come from instead —
// bytes allocated per request, by package and function, sampled (see heap-sampler.mjs)
// after a warm-up, over the measured requests only. Not a test; used to decide what to
// optimize.
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@aigw/db/testing';
import autocannon from 'autocannon';
import { startGateway } from './gateway-process.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const PATH = process.env.PROFILE_PATH ?? '/v1/chat/completions';
const STREAM = process.env.PROFILE_STREAM === '1';
const HEAP = process.env.PROFILE_HEAP === '1';
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);

async function main() {
  const mock = fork(fileURLToPath(new URL('mock-upstream.mjs', import.meta.url)), ['0', '0'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const mockUrl = await new Promise((r) => mock.once('message', (m) => r(`http://127.0.0.1:${m.port}`)));
  const db = await createTestDatabase('aigw_profile');
  const profDir = mkdtempSync(join(tmpdir(), 'aigw-prof-'));
  const heapFile = join(profDir, 'allocations.heapprofile');
  const gw = await startGateway({
    port: 3300 + (process.pid % 100),
    mockUrl,
    databaseUrl: db.url,
    nodeArgs: HEAP
      ? ['--import', fileURLToPath(new URL('heap-sampler.mjs', import.meta.url))]
      : [
          '--cpu-prof',
          `--cpu-prof-dir=${profDir}`,
          `--cpu-prof-interval=${process.env.PROFILE_INTERVAL_US ?? 1000}`,
        ],
    env: HEAP ? { HEAP_SAMPLE_OUT: heapFile } : {},
    userId: 'profile-user',
  });
  const { url, key } = gw;
  const body = PATH.includes('messages')
    ? { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Say hello.' }] }
    : { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }], stream: STREAM };
  const drive = (duration) =>
    autocannon({
      url: `${url}${PATH}`,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-api-key': key },
      body: JSON.stringify(body),
      connections: Number(process.env.PROFILE_CONNECTIONS ?? 50),
      duration,
    });
  if (HEAP) {
    await drive(WARMUP_S);
    gw.child.kill('SIGUSR2');
    await new Promise((r) => setTimeout(r, 500));
  }
  const result = await drive(DURATION_S);
  console.log(
    `${result.requests.total} requests, ${result.requests.average} rps, errors ${result.errors + result.non2xx}`,
  );
  if (HEAP) {
    gw.child.kill('SIGUSR2');
    const deadline = Date.now() + 60_000;
    while (!existsSync(heapFile)) {
      if (Date.now() > deadline) {
        gw.child.kill('SIGKILL');
        mock.kill();
        await db.drop();
        throw new Error(`the gateway wrote no heap profile (${heapFile})`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  gw.child.kill('SIGTERM');
  await new Promise((r) => gw.child.once('exit', r));
  mock.kill();
  await db.drop();
  if (HEAP) {
    summarizeAllocations(JSON.parse(readFileSync(heapFile, 'utf8')), result.requests.total);
    console.log(`profile: ${heapFile}`);
    return;
  }
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  summarize(JSON.parse(readFileSync(join(profDir, file), 'utf8')));
  console.log(`profile: ${join(profDir, file)}`);
}

/** A sampling heap profile's bytes, per request, by package and by function. */
function summarizeAllocations(profile, requests) {
  const byFunction = new Map();
  const byPackage = new Map();
  let total = 0;
  const visit = (node) => {
    const { callFrame, selfSize } = node;
    const where = packageOf(callFrame.url);
    const fn = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`;
    total += selfSize;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + selfSize);
    byPackage.set(where.split(' ')[0], (byPackage.get(where.split(' ')[0]) ?? 0) + selfSize);
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  const top = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, bytes]) => `${String(Math.round(bytes / requests)).padStart(7)} B  ${k}`)
      .join('\n');
  console.log(`\nAllocated per request (sampled): ${(total / requests / 1024).toFixed(1)} KB`);
  console.log(`\nBy package:\n${top(byPackage, 25)}`);
  console.log(`\nBy function:\n${top(byFunction, 45)}`);
}

function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (deltas[i] ?? 0));
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map();
  const byPackage = new Map();
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id);
    const where = packageOf(callFrame.url);
    const fn = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    byPackage.set(where.split(' ')[0], (byPackage.get(where.split(' ')[0]) ?? 0) + us);
  }
  const top = (map, n) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  console.log(`\nSelf time by package (${(total / 1e6).toFixed(1)} s sampled):\n${top(byPackage, 25)}`);
  console.log(`\nSelf time by function:\n${top(byFunction, 45)}`);
}

function packageOf(url) {
  if (!url) return '(native/gc)';
  if (url.startsWith('node:')) return url;
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/.exec(url);
  if (pnpm) return `${pnpm[1]} ${pnpm[2]}`;
  const ours = /\/(apps|packages)\/([^/]+)\/(.*)$/.exec(url);
  if (ours) return `@aigw/${ours[2]} ${ours[3]}`;
  return url;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
