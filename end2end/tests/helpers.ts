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

/** Waits until every island of the page has hydrated (JavaScript on) so that clicks reach Rust
 *  code: each island counts itself in `<html data-islands>` when its effects first run. */
export async function waitForIslands(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const islands = document.querySelectorAll('leptos-island').length;
    return islands > 0 && Number(document.documentElement.dataset.islands ?? 0) >= islands;
  });
}
