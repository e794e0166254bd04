// `pnpm bench:ab <other-checkout>`: this build of the gateway against another one (a
// checkout or copy of the repository, built), in one run, measured in alternating turns
// so that both meet the same machine drift: one-connection latency (interleaved batches
// of sequential calls) and throughput with CPU per request (alternating autocannon
// rounds), non-streaming and streaming. On a shared 2-vCPU machine a change worth
// 0.02 ms or 5% of CPU shows here and not in two separate `pnpm bench` runs.
// `pnpm bench:ab .` runs this build against itself: an A/A run for the noise, or, with
// AB_OTHER_ENV / AB_OTHER_NODE_ARGS (and AB_THIS_…), a setting or a node flag against
// the default (e.g. AB_OTHER_NODE_ARGS=--max-semi-space-size=4).
// Not a test: it prints figures.
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '@aigw/db/testing';
import { Agent } from 'undici';
import { startGateway } from './gateway-process.mjs';
import { interleaved } from './interleaved.mjs';
import { measuredLoad } from './measured-load.mjs';
import { median, sequentialLatency } from './stream-load.mjs';

const ROUNDS = Number(process.env.AB_ROUNDS ?? 10);
const SECONDS = Number(process.env.AB_SECONDS ?? 4);
const CONNECTIONS = Number(process.env.AB_CONNECTIONS ?? 50);

/** `NAME=value NAME2=value` (from AB_THIS_ENV / AB_OTHER_ENV) as an object. */
function envList(text = '') {
  return Object.fromEntries(
    text
      .split(/\s+/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

/** How one side starts: extra environment and node flags, e.g. AB_OTHER_ENV='LOG_LEVEL=warn'. */
function side(name) {
  const upper = name.toUpperCase();
  return {
    env: envList(process.env[`AB_${upper}_ENV`]),
    nodeArgs: (process.env[`AB_${upper}_NODE_ARGS`] ?? '').split(/\s+/).filter(Boolean),
  };
}

const chat = (stream) =>
  JSON.stringify({ model: 'gpt-4o-mini', stream, messages: [{ role: 'user', content: 'Say hello.' }] });

async function main() {
  const other = process.argv[2];
  const otherMain = other && resolve(other, 'apps/api/dist/main.js');
  if (!otherMain || !existsSync(otherMain)) {
    console.error(
      'usage: pnpm bench:ab <path of another checkout, built with pnpm build, or . for this one>\n' +
        '  AB_THIS_ENV / AB_OTHER_ENV="NAME=value ..." and AB_THIS_NODE_ARGS / AB_OTHER_NODE_ARGS set how each side starts',
    );
    process.exitCode = 2;
    return;
  }
  const here = fileURLToPath(new URL('../../..', import.meta.url));
  const mock = fork(fileURLToPath(new URL('mock-upstream.mjs', import.meta.url)), ['0', '0'], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const mockUrl = await new Promise((r) => mock.once('message', (m) => r(`http://127.0.0.1:${m.port}`)));
  const dbs = [];
  const gateways = {};
  try {
    dbs.push(await createTestDatabase('aigw_ab_this'), await createTestDatabase('aigw_ab_other'));
    gateways.this = await startGateway({
      port: 3700 + (process.pid % 100),
      mockUrl,
      databaseUrl: dbs[0].url,
      ...side('this'),
    });
    gateways.other = await startGateway({
      port: 3800 + (process.pid % 100),
      mockUrl,
      databaseUrl: dbs[1].url,
      main: otherMain,
      ...side('other'),
    });
    const described = (name, main) => {
      const { env, nodeArgs } = side(name);
      const extras = [...nodeArgs, ...Object.entries(env).map(([k, v]) => `${k}=${v}`)];
      return `${main}${extras.length ? ` (${extras.join(' ')})` : ''}`;
    };
    console.log(
      `this: ${described('this', join(here, 'apps/api/dist/main.js'))}\nother: ${described('other', otherMain)}\n`,
    );
    const headers = (g) => ({ 'content-type': 'application/json', authorization: `Bearer ${g.key}` });
    const url = (g) => `${g.url}/v1/chat/completions`;

    const drive = (g, body, duration) =>
      measuredLoad(url(g), {
        body,
        headers: headers(g),
        connections: CONNECTIONS,
        duration,
        pid: g.child.pid,
      });

    for (const g of Object.values(gateways)) await drive(g, chat(false), 3);
    // One kept-alive connection per gateway for all its rounds: no round pays a connect.
    const agents = new Map(Object.values(gateways).map((g) => [g, new Agent({ connections: 1 })]));
    const latency = await interleaved(gateways, {
      rounds: ROUNDS,
      baseline: 'other',
      measure: (g) =>
        sequentialLatency(url(g), {
          headers: headers(g),
          body: chat(false),
          total: 300,
          agent: agents.get(g),
        }),
    });
    for (const agent of agents.values()) await agent.close();
    console.log('One connection, sequential non-streaming calls (ms):');
    for (const name of ['this', 'other']) {
      const r = latency[name];
      console.log(`  ${name.padEnd(5)} p50 ${r.p50.toFixed(3)}  p99 ${r.p99.toFixed(3)}  errors ${r.errors}`);
    }
    console.log(`  this − other, median of the rounds' p50 differences: ${latency.this.added.toFixed(3)}\n`);

    for (const stream of [false, true]) {
      const rounds = { this: [], other: [] };
      for (let i = 0; i < 6; i++) {
        const order = i % 2 ? ['this', 'other'] : ['other', 'this'];
        for (const name of order) rounds[name].push(await drive(gateways[name], chat(stream), SECONDS));
      }
      console.log(
        `${CONNECTIONS} connections, ${stream ? 'streaming' : 'non-streaming'} (median of 6 rounds):`,
      );
      for (const name of ['this', 'other']) {
        const middle = (key) => median(rounds[name].map((r) => r[key]));
        const errors = rounds[name].reduce((sum, r) => sum + r.errors, 0);
        console.log(
          `  ${name.padEnd(5)} ${middle('rps').toFixed(0)} req/s  CPU/req ${middle('cpuPerRequestMs').toFixed(3)} ms  errors ${errors}`,
        );
      }
    }
  } finally {
    for (const g of Object.values(gateways)) g.child.kill('SIGKILL');
    mock.kill();
    for (const db of dbs) await db.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
