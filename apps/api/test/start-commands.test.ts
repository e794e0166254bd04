import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';

// The service's node flags (a young generation big enough for 200 connections' requests in
// flight, see docs/performance.md) can only be given on node's command line, so
// every way of starting it repeats them; this keeps them equal. (The benchmarks take them
// from `start:prod`.)
const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const scripts = (path: string) => (JSON.parse(read(path)) as { scripts: Record<string, string> }).scripts;

/** The node flags of a shell command that runs `node … <main>`. */
function flagsOf(command: string, main: string): string[] {
  const match = command.match(new RegExp(`(?:^|&& )node ((?:--\\S+ )*)${main.replace(/[./]/g, '\\$&')}$`));
  if (!match) throw new Error(`no "node … ${main}" in: ${command}`);
  return (match[1] ?? '').split(' ').filter(Boolean);
}

describe('how the service starts', () => {
  const dockerCmd = JSON.parse(read('Dockerfile').match(/^CMD (\[.*\])$/m)?.[1] ?? '[]') as string[];
  const docker = { node: dockerCmd[0], flags: dockerCmd.slice(1, -1), main: dockerCmd.at(-1) };

  it('runs node with the same flags from the Dockerfile, `pnpm start` and `start:prod`', () => {
    expect(docker.node).toBe('node');
    expect(docker.main).toBe('apps/api/dist/main.js');
    expect(docker.flags).toContain('--max-semi-space-size=32');
    expect(flagsOf(scripts('package.json').start ?? '', 'apps/api/dist/main.js')).toEqual(docker.flags);
    expect(flagsOf(scripts('apps/api/package.json')['start:prod'] ?? '', 'dist/main.js')).toEqual(
      docker.flags,
    );
  });
});
