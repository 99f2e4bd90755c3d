import { Page, expect } from '@playwright/test';

/** Collects console errors and uncaught exceptions; call the returned function to assert none.
 *  `expected` matches errors the test causes on purpose (a 422 answer to bad input). */
export function watchConsole(page: Page, expected?: RegExp): () => void {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !(expected && expected.test(message.text()))) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return () => expect(problems, 'console errors').toEqual([]);
}

/** Waits until the islands have hydrated (JavaScript on) so that clicks reach Rust code. */
export async function waitForIslands(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).__hydrateIsland !== undefined);
}
