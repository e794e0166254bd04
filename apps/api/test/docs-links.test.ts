import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

// The README is the front page and docs/ holds one file per subject: every relative link
// between them (and into the code) must lead somewhere, and a link to a heading must name
// a heading that exists, as GitHub makes its anchors. Links to other sites are not checked.
const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

/** README.md and every docs/*.md, as paths from the repository root. */
const documents = [
  'README.md',
  ...readdirSync(new URL('docs/', root))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** The lines outside fenced code blocks (``` or ~~~), where links and headings are. */
function proseLines(markdown: string): string[] {
  const lines: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const marker = line.match(/^\s{0,3}(`{3,}|~{3,})/)?.[1];
    if (fence) {
      if (
        marker &&
        marker[0] === fence[0] &&
        marker.length >= fence.length &&
        !line.trim().slice(marker.length)
      )
        fence = undefined;
    } else if (marker) {
      fence = marker;
    } else {
      lines.push(line);
    }
  }
  return lines;
}

/** A line without its inline code spans (a link inside backticks is not a link). */
const withoutCode = (line: string) => line.replace(/(`+)[\s\S]*?\1/g, '');

/** The text a heading shows: links by their text, inline code by its content, no HTML. */
function headingText(markdown: string): string {
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen. */
function slug(heading: string): string {
  return headingText(heading)
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a markdown file's headings; a repeated one gets -1, -2… as on GitHub. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const add = (text: string) => {
    const base = slug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count ? `${base}-${count}` : base);
  };
  const lines = proseLines(markdown);
  for (const [i, line] of lines.entries()) {
    const atx = line.match(/^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/);
    if (atx) add(atx[1] ?? '');
    // Setext: a paragraph line underlined with === or ---.
    const previous = lines[i - 1] ?? '';
    if (
      /^\s{0,3}(=+|-+)\s*$/.test(line) &&
      /^\s{0,3}[^\s#>|*+-]/.test(previous) &&
      !/^\s*\d+[.)]\s/.test(previous)
    )
      add(previous);
  }
  return anchors;
}

/** Every link target in a markdown file: `[text](target)`, `![alt](target)` and `[ref]: target`. */
function linksOf(markdown: string): string[] {
  const targets: string[] = [];
  for (const line of proseLines(markdown)) {
    const prose = withoutCode(line);
    const inline =
      /!?\[(?:[^[\]]|\[[^[\]]*\])*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+("[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
    for (const match of prose.matchAll(inline)) targets.push((match[1] ?? '').replace(/^<|>$/g, ''));
    const definition = prose.match(/^\s{0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/);
    if (definition) targets.push((definition[1] ?? '').replace(/^<|>$/g, ''));
  }
  return targets;
}

/** Why a link of `document` is broken, or undefined when it leads somewhere. */
function brokenBecause(document: string, target: string): string | undefined {
  if (/^(https?:|mailto:)/i.test(target)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return 'not a relative link (only http(s) and mailto are skipped)';
  const hash = target.indexOf('#');
  const path = hash < 0 ? target : target.slice(0, hash);
  const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const file = path ? new URL(decodeURIComponent(path), new URL(document, root)) : new URL(document, root);
  if (!fileURLToPath(file).startsWith(fileURLToPath(root))) return 'leads outside the repository';
  if (!existsSync(file)) return 'no such file';
  if (anchor === undefined || !file.pathname.endsWith('.md')) return undefined;
  if (!anchorsOf(readFileSync(file, 'utf8')).has(anchor)) return `no heading with the anchor #${anchor}`;
  return undefined;
}

describe('the README and docs/', () => {
  it('make anchors as GitHub does', () => {
    expect(slug('`POST /v1/chat/completions`')).toBe('post-v1chatcompletions');
    expect(slug("The SDKs' header merging")).toBe('the-sdks-header-merging');
    expect(slug('`routes`, `breaker`, `retry`')).toBe('routes-breaker-retry');
    expect(slug('`POST /v1/messages/count_tokens`')).toBe('post-v1messagescount_tokens');
    expect([...anchorsOf('# A\n\n## B\n\n```\n# not a heading\n```\n\n## B\n')]).toEqual(['a', 'b', 'b-1']);
    expect(linksOf('[a](x.md) `[b](y.md)` ![c](d.png "title") [`e`](f.md#g)\n')).toEqual([
      'x.md',
      'd.png',
      'f.md#g',
    ]);
  });

  it('have only relative links that lead to an existing file and heading', () => {
    expect(documents).toContain('docs/architecture.md');
    const broken: string[] = [];
    let checked = 0;
    for (const document of documents) {
      for (const target of linksOf(read(document))) {
        checked += 1;
        const reason = brokenBecause(document, target);
        if (reason) broken.push(`${document}: (${target}) ${reason}`);
      }
    }
    if (broken.length) throw new Error(`${broken.length} broken link(s):\n  ${broken.join('\n  ')}`);
    expect(checked).toBeGreaterThan(documents.length);
  });

  it('keep the README a short front page with the two commands', () => {
    const lines = read('README.md').replace(/\n$/, '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(220);
    expect(
      lines.some((line) => /^npm install -g pnpm@\S+ && pnpm install && pnpm start(\s|$)/.test(line)),
    ).toBe(true);
    // `.ci/run` runs this command; the README is where a developer finds it.
    expect(lines.some((line) => /^pnpm test(\s|$)/.test(line))).toBe(true);
  });
});
