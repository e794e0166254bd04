import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient } from '@aigw/db';
import { SEED_USERS } from './demo-seed-plan.js';
import { DEMO_REQUEST_ID_PREFIX, type DemoUsageOptions, demoUsageRows } from './demo-usage.js';

/** The name of every seeded key, so a re-run finds (and replaces) them and nothing else. */
export const DEMO_KEY_NAME = 'demo seed';
const BATCH = 1000;

/** What a seeding did. */
export interface DemoSeedResult {
  removedRows: number;
  removedKeys: number;
  rows: number;
  keys: number;
  from: Date;
  to: Date;
  costUsd: string;
}

/**
 * Fills the database with a demo month (see demoUsageRows) and a key per user, some with
 * budgets and one revoked. Idempotent: the rows and keys of an earlier seeding (known by
 * their requestId prefix and key name) are replaced, so a re-run moves the month up to
 * today instead of doubling it; no other row or key is touched. The seeded keys cannot be
 * used: their secrets are random and thrown away (issue real keys with POST /admin/keys).
 */
export async function seedDemoData(
  prisma: PrismaClient,
  options: Omit<DemoUsageOptions, 'keyIds'>,
): Promise<DemoSeedResult> {
  const days = options.days ?? 31;
  const from = new Date(options.now.getTime() - days * 24 * 60 * 60 * 1000);
  const keys = SEED_USERS.map((user) => ({
    id: randomUUID(),
    keyHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
    keyPrefix: `sk-gw-${randomBytes(6).toString('base64url').slice(0, 6)}`,
    userId: user.userId,
    name: DEMO_KEY_NAME,
    budgetUsd: user.budgetUsd,
    createdAt: from,
  }));
  // A key someone revoked along the way, so the keys list shows one.
  keys.push({
    ...(keys[1] as (typeof keys)[number]),
    id: randomUUID(),
    keyHash: createHash('sha256').update(randomBytes(32)).digest('hex'),
    keyPrefix: `sk-gw-${randomBytes(6).toString('base64url').slice(0, 6)}`,
    budgetUsd: null,
  });
  const revokedKeyId = keys.at(-1)?.id as string;
  const keyIds = Object.fromEntries(keys.slice(0, SEED_USERS.length).map((k) => [k.userId, k.id]));
  const rows = demoUsageRows({ ...options, keyIds });

  const [removedRows, removedKeys] = await prisma.$transaction([
    prisma.aIUsageLog.deleteMany({ where: { requestId: { startsWith: DEMO_REQUEST_ID_PREFIX } } }),
    prisma.apiKey.deleteMany({ where: { name: DEMO_KEY_NAME } }),
  ]);
  await prisma.apiKey.createMany({ data: keys });
  await prisma.apiKey.update({
    where: { id: revokedKeyId },
    data: { revokedAt: new Date(options.now.getTime() - 12 * 24 * 60 * 60 * 1000) },
  });
  for (let i = 0; i < rows.length; i += BATCH) {
    await prisma.aIUsageLog.createMany({ data: rows.slice(i, i + BATCH) });
  }
  const cost = rows.reduce(
    (sum, row) => (row.costUsd == null ? sum : sum.plus(row.costUsd as string)),
    new Prisma.Decimal(0),
  );
  return {
    removedRows: removedRows.count,
    removedKeys: removedKeys.count,
    rows: rows.length,
    keys: keys.length,
    from,
    to: options.now,
    costUsd: cost.toFixed(2),
  };
}
