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
  // Once the gateway is told to go (SIGTERM writes a CPU profile): waits for it, then the rest.
  const stop = async () => {
    if (gw.child.exitCode === null && gw.child.signalCode === null)
      await new Promise((r) => gw.child.once('exit', r));
    mock.kill();
    await db.drop();
  };
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
        await stop();
        throw new Error(`the gateway wrote no heap profile (${heapFile})`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  gw.child.kill('SIGTERM');
  await stop();
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
  const tallies = new Tallies();
  const visit = (node) => {
    tallies.add(node.callFrame, node.selfSize);
    for (const child of node.children) visit(child);
  };
  visit(profile.head);
  const perRequest = (bytes) => `${String(Math.round(bytes / requests)).padStart(7)} B`;
  console.log(`\nAllocated per request (sampled): ${(tallies.total / requests / 1024).toFixed(1)} KB`);
  console.log(`\nBy package:\n${top(tallies.byPackage, 25, perRequest)}`);
  console.log(`\nBy function:\n${top(tallies.byFunction, 45, perRequest)}`);
}

/** A CPU profile's self time, by package and by function. */
function summarize(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const tallies = new Tallies();
  const deltas = profile.timeDeltas;
  for (let i = 0; i < profile.samples.length; i++) {
    tallies.add(byId.get(profile.samples[i]).callFrame, deltas[i] ?? 0);
  }
  const share = (us) => `${((100 * us) / tallies.total).toFixed(1).padStart(5)}%`;
  console.log(
    `\nSelf time by package (${(tallies.total / 1e6).toFixed(1)} s sampled):\n${top(tallies.byPackage, 25, share)}`,
  );
  console.log(`\nSelf time by function:\n${top(tallies.byFunction, 45, share)}`);
}

/** Amounts (time, bytes) summed by the function and by the package of each call frame. */
class Tallies {
  byFunction = new Map();
  byPackage = new Map();
  total = 0;

  add(callFrame, amount) {
    const where = packageOf(callFrame.url);
    const fn = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`;
    const pkg = where.split(' ')[0];
    this.byFunction.set(fn, (this.byFunction.get(fn) ?? 0) + amount);
    this.byPackage.set(pkg, (this.byPackage.get(pkg) ?? 0) + amount);
    this.total += amount;
  }
}

/** The `n` largest entries of `map`, one a line: `label(amount)` then the name. */
function top(map, n, label) {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, amount]) => `${label(amount)}  ${name}`)
    .join('\n');
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
