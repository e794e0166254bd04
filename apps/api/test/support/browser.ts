import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from '@jest/globals';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Where the dashboard tests' screenshots land (git-ignored); CI keeps them as the tests' artifacts. */
export const ARTIFACTS = fileURLToPath(new URL('../../../../test-artifacts/dashboard/', import.meta.url));

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Without a browser the file is one failing test whose message says how to get one (no
 * stack trace, and not the same failure once per test).
 */
export function describeInBrowser(name: string, tests: () => void): void {
  if (existsSync(CHROMIUM)) {
    describe(name, tests);
    return;
  }
  it(name, () => {
    const missing = new Error(
      `No Chromium at ${CHROMIUM}: install it (Debian/Ubuntu: apt-get install chromium; .ci/run does) or set CHROMIUM_PATH to a Chromium or Chrome binary.`,
    );
    missing.stack = missing.message;
    throw missing;
  });
}

/** Headless Chromium as the dashboard tests run it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
}

/** Waits until the log rows the page shows are `ids`, in order (the API's page). */
export async function waitForLogIds(page: Page, ids: string[]): Promise<void> {
  await page.waitForFunction(
    (want) =>
      Array.from(document.querySelectorAll<HTMLElement>('[data-log-id]'))
        .map((row) => row.dataset.logId)
        .join() === want.join(),
    ids,
  );
}
