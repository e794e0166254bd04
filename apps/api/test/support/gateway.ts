import { anthropicFake, FakeUpstream, openAIFake } from '@aigw/ai/testing';
import { createTestDatabase, type TestDatabase } from '@aigw/db/testing';
import { ApiKeysService, type NewApiKey } from '../../src/keys/api-keys.service.js';
import { type RunningApp, startApp } from './start-app.js';

/** The real app on a fresh PostgreSQL database, with OpenAI and Anthropic fakes behind it. */
export interface Gateway {
  running: RunningApp;
  url: string;
  openai: FakeUpstream;
  anthropic: FakeUpstream;
  testDb: TestDatabase;
  /** Issues a virtual key for a user (through the real service). */
  issueKey(userId: string, options?: Omit<NewApiKey, 'userId'>): Promise<{ id: string; key: string }>;
  /** Waits until every usage row recorded so far is in the database. */
  flushUsage(): Promise<void>;
  close(): Promise<void>;
}

export const OPENAI_UPSTREAM_KEY = 'sk-proj-UPSTREAMKEYUPSTREAMKEY0001';
export const ANTHROPIC_UPSTREAM_KEY = 'sk-ant-api03-UPSTREAMKEYUPSTREAM0002';

export async function startGateway(
  extraEnv: Record<string, string> = {},
  options: { clock?: () => number } = {},
): Promise<Gateway> {
  const openai = new FakeUpstream(openAIFake());
  const anthropic = new FakeUpstream(anthropicFake());
  const [openaiUrl, anthropicUrl, testDb] = await Promise.all([
    openai.listen(),
    anthropic.listen(),
    createTestDatabase(),
  ]);
  const running = await startApp(
    {
      DATABASE_URL: testDb.url,
      OPENAI_API_KEY: OPENAI_UPSTREAM_KEY,
      OPENAI_BASE_URL: `${openaiUrl}/v1`,
      ANTHROPIC_API_KEY: ANTHROPIC_UPSTREAM_KEY,
      ANTHROPIC_BASE_URL: anthropicUrl,
      ...extraEnv,
    },
    options,
  );
  const { AiRuntime } = await import('@aigw/ai');
  return {
    running,
    url: running.url,
    openai,
    anthropic,
    testDb,
    issueKey: async (userId, options = {}) => {
      const created = await running.app.get(ApiKeysService).create({ userId, ...options });
      return { id: created.id, key: created.key };
    },
    flushUsage: async () => {
      await running.app.get(AiRuntime).writer?.flush();
    },
    close: async () => {
      await running.close();
      await Promise.all([openai.close(), anthropic.close()]);
      await testDb.drop();
    },
  };
}

/** Another replica of `gateway`: the same database and upstreams, its own spool (see startApp), plus `env` (a shared Redis, say). */
export function startReplica(gateway: Gateway, env: Record<string, string> = {}): Promise<RunningApp> {
  return startApp({
    DATABASE_URL: gateway.testDb.url,
    OPENAI_API_KEY: OPENAI_UPSTREAM_KEY,
    OPENAI_BASE_URL: `${gateway.openai.url}/v1`,
    ANTHROPIC_API_KEY: ANTHROPIC_UPSTREAM_KEY,
    ANTHROPIC_BASE_URL: gateway.anthropic.url,
    ...env,
  });
}
