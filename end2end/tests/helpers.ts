import { Page, expect } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';

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

/** The newest `route?param=…` link mailed to `email` (the server writes .eml files, named in
 *  sending order), as a local path. */
export function mailLink(email: string, route: string, param: string): string {
  const folder = process.env.DESSINE_E2E_MAIL;
  if (!folder) throw new Error('DESSINE_E2E_MAIL is not set (run `make test`)');
  const mails = fs.readdirSync(folder)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => path.join(folder, name))
    .sort()
    .map((file) => fs.readFileSync(file, 'utf8')
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16))))
    .filter((text) => text.includes(`To: ${email}`));
  const match = mails.reverse()
    .map((text) => text.match(new RegExp(`https?://[^\\s"<]+${route}\\?${param}=[A-Za-z0-9_-]+`)))
    .find((m) => m);
  if (!match) throw new Error(`no ${route} link mailed to ${email}`);
  const url = new URL(match[0]);
  return url.pathname + url.search;
}

/** Logs in afresh (cookies cleared) and lands on `next`. */
export async function logInTo(page: Page, email: string, password: string, next: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`/connexion?suivant=${encodeURIComponent(next)}`);
  await page.getByLabel('Adresse e-mail').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}
