// The gateway under test, as its own process (apps/api/dist/main.js), pointed at a mock
// upstream and a database, with a virtual key issued for the load.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../../apps/api/dist/main.js', import.meta.url));
const AI_CONFIG = fileURLToPath(new URL('bench-ai.config.yaml', import.meta.url));
export const ADMIN = 'sk-admin-bench-0123456789abcdef';
/**
 * The node flags the service's start commands give it (`start:prod`; the others match it, see
 * start-commands.test.ts). This checkout's: `pnpm bench:ab` starts both sides with them.
 */
const SERVICE_NODE_ARGS = JSON.parse(
  readFileSync(new URL('../../../apps/api/package.json', import.meta.url), 'utf8'),
)
  .scripts['start:prod'].split(' ')
  .filter((word) => word.startsWith('--'));

/**
 * Starts the gateway on `port` and waits for it, with the start commands' node flags; `nodeArgs`
 * go after them, before the script (e.g. `--cpu-prof`), `env` adds variables.
 */
export async function startGateway({
  port,
  mockUrl,
  databaseUrl,
  nodeArgs = [],
  userId = 'bench-user',
  env = {},
  main = MAIN,
}) {
  const child = spawn(process.execPath, [...SERVICE_NODE_ARGS, ...nodeArgs, main], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      ADMIN_API_KEY: ADMIN,
      OPENAI_API_KEY: 'sk-bench-openai-key-000000000000',
      OPENAI_BASE_URL: `${mockUrl}/v1`,
      ANTHROPIC_API_KEY: 'sk-ant-bench-key-000000000000',
      ANTHROPIC_BASE_URL: mockUrl,
      USAGE_SPOOL_DIR: mkdtempSync(join(tmpdir(), 'aigw-bench-spool-')),
      LOG_LEVEL: 'info',
      AI_CONFIG,
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 150; i++) {
      try {
        if ((await fetch(`${url}/health`)).status < 600) break;
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const key = await issueKey(url, userId);
    return { child, url, key: key.key };
  } catch (error) {
    // Not left running behind a caller that never got its handle.
    child.kill('SIGKILL');
    throw error;
  }
}

/** Issues a virtual key through the admin API; returns `{ id, key }`. */
export async function issueKey(url, userId) {
  const res = await fetch(`${url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  return res.json();
}
