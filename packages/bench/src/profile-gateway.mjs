// `pnpm bench:profile`: where the gateway's CPU goes. Starts the mock upstream and the
// gateway under `node --cpu-prof`, drives non-streaming OpenAI chat at 50 connections
// (PROFILE_CONNECTIONS; PROFILE_PATH=/v1/messages for Anthropic, PROFILE_STREAM=1 for streams),
// stops the gateway gracefully (which writes the profile) and prints self time by
// function and by package. Not a test; used to decide what to optimize.
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@aigw/db/testing';
import autocannon from 'autocannon';
import { startGateway } from './gateway-process.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const PATH = process.env.PROFILE_PATH ?? '/v1/chat/completions';
const STREAM = process.env.PROFILE_STREAM === '1';

async function main() {
  const mock = fork(fileURLToPath(new URL('mock-upstream.mjs', import.meta.url)), ['0', '0'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const mockUrl = await new Promise((r) => mock.once('message', (m) => r(`http://127.0.0.1:${m.port}`)));
  const db = await createTestDatabase('aigw_profile');
  const profDir = mkdtempSync(join(tmpdir(), 'aigw-prof-'));
  const gw = await startGateway({
    port: 3300 + (process.pid % 100),
    mockUrl,
    databaseUrl: db.url,
    nodeArgs: [
      '--cpu-prof',
      `--cpu-prof-dir=${profDir}`,
      `--cpu-prof-interval=${process.env.PROFILE_INTERVAL_US ?? 1000}`,
    ],
    userId: 'profile-user',
  });
  const { url, key } = gw;
  const body = PATH.includes('messages')
    ? { model: 'claude-haiku-4-5', max_tokens: 64, messages: [{ role: 'user', content: 'Say hello.' }] }
    : { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }], stream: STREAM };
  const result = await autocannon({
    url: `${url}${PATH}`,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-api-key': key },
    body: JSON.stringify(body),
    connections: Number(process.env.PROFILE_CONNECTIONS ?? 50),
    duration: DURATION_S,
  });
  console.log(
    `${result.requests.total} requests, ${result.requests.average} rps, errors ${result.errors + result.non2xx}`,
  );
  gw.child.kill('SIGTERM');
  await new Promise((r) => gw.child.once('exit', r));
  mock.kill();
  await db.drop();
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  summarize(JSON.parse(readFileSync(join(profDir, file), 'utf8')));
  console.log(`profile: ${join(profDir, file)}`);
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
