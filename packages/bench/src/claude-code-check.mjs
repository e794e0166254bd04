// `pnpm check:claude-code`: the real Claude Code CLI, unchanged, pointed at the gateway
// (ANTHROPIC_BASE_URL and a gateway key), with a fake Anthropic upstream behind it that
// records what arrives. It installs the CLI from the npm registry into a temporary folder
// (CLAUDE_CODE_VERSION, default below), asks one question in print mode, and checks that
// nothing Claude Code sends was lost on the way (prompt-cache markers, thinking, betas,
// its API version, `?beta=true`), that the provider got the gateway's key and never the
// caller's, and that the usage row's cost equals the one Claude Code computes itself.
// Not a test (it downloads the CLI, ~100 MB): a check to run on demand; exit code 1 on a loss.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { arch, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { anthropicFake, FakeUpstream } from '@aigw/ai/testing';
import { openDatabase } from '@aigw/db';
import { createTestDatabase } from '@aigw/db/testing';
import { startGateway } from './gateway-process.mjs';

const VERSION = process.env.CLAUDE_CODE_VERSION ?? '2.1.332';
const ANSWER = 'Hello from the fake Claude behind the gateway.';

const folder = mkdtempSync(join(tmpdir(), 'aigw-claude-code-'));
const problems = [];
const check = (what, ok) => {
  console.log(`${ok ? 'ok  ' : 'LOST'} ${what}`);
  if (!ok) problems.push(what);
};

console.log(`Installing Claude Code ${VERSION} into ${folder}...`);
execFileSync(
  'npm',
  ['install', `@anthropic-ai/claude-code@${VERSION}`, '--prefix', folder, '--no-fund', '--no-audit'],
  {
    stdio: 'ignore',
  },
);
const cli = join(folder, 'node_modules', '@anthropic-ai', `claude-code-${platform()}-${arch()}`, 'claude');

const received = [];
const fake = new FakeUpstream((request) => {
  if (request.path.startsWith('/v1/messages')) received.push(request);
  return anthropicFake({ text: ANSWER })(request);
});
const fakeUrl = await fake.listen();
const db = await createTestDatabase('aigw_claude_code');
const gateway = await startGateway({
  port: 3800 + (process.pid % 100),
  mockUrl: fakeUrl,
  databaseUrl: db.url,
});
try {
  const output = await new Promise((resolve, reject) => {
    const child = spawn(cli, ['-p', 'Say hello', '--output-format', 'json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        HOME: folder,
        ANTHROPIC_BASE_URL: gateway.url,
        ANTHROPIC_API_KEY: gateway.key,
        ANTHROPIC_MODEL: 'claude-sonnet-4-5',
        ANTHROPIC_SMALL_FAST_MODEL: 'claude-haiku-4-5',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
        DISABLE_TELEMETRY: '1',
        DISABLE_AUTOUPDATER: '1',
      },
    });
    let text = '';
    child.stdout.on('data', (chunk) => (text += chunk));
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`claude exited ${code}: ${text}`)),
    );
  });
  const result = JSON.parse(output);
  const call = received.at(-1);
  const body = call?.body ?? {};
  const headers = call?.headers ?? {};
  check(`Claude Code read the answer ("${result.result}")`, result.result === ANSWER);
  check(`the call went to ${call?.path}, its query kept`, call?.path === '/v1/messages?beta=true');
  check(
    'system blocks kept their cache_control',
    (body.system ?? []).some((b) => b.cache_control),
  );
  check('message blocks kept their cache_control', JSON.stringify(body.messages).includes('cache_control'));
  check(
    `thinking reached the provider (${JSON.stringify(body.thinking)})`,
    body.thinking?.type !== undefined,
  );
  check('metadata reached the provider', typeof body.metadata?.user_id === 'string');
  check(
    `its betas reached the provider (${headers['anthropic-beta']})`,
    /claude-code-/.test(headers['anthropic-beta'] ?? ''),
  );
  check(
    `its API version reached the provider (${headers['anthropic-version']})`,
    headers['anthropic-version'] === '2023-06-01',
  );
  check(
    "the provider got the gateway's key, never the caller's",
    headers['x-api-key'] === 'sk-ant-bench-key-000000000000' &&
      !JSON.stringify(headers).includes(gateway.key),
  );

  gateway.child.kill('SIGTERM');
  await new Promise((r) => gateway.child.once('exit', r));
  const database = await openDatabase({
    kind: 'postgres',
    url: db.url,
    connectionTimeoutMs: 5000,
    poolSize: 1,
  });
  const [row] = await database.prisma.aIUsageLog.findMany({
    where: { requestType: 'chat' },
    orderBy: { createdAt: 'desc' },
  });
  await database.close();
  console.log(
    `usage row: ${row?.promptTokens} prompt tokens (${row?.cacheReadTokens} cache reads, ${row?.cacheWriteTokens} writes), ${row?.completionTokens} completion, $${row?.costUsd}; Claude Code's own figure $${result.total_cost_usd}`,
  );
  check(
    'the row priced the call as Claude Code does',
    Math.abs(Number(row?.costUsd) - result.total_cost_usd) < 1e-9,
  );
} finally {
  gateway.child.kill('SIGKILL');
  await fake.close();
  await db.drop();
  rmSync(folder, { recursive: true, force: true });
}
console.log(problems.length ? `\n${problems.length} lost on the way.` : '\nNothing was lost on the way.');
process.exit(problems.length ? 1 : 0);
