import { defineConfig } from '@playwright/test';

// The test command starts the release server and passes its address in DESSINE_E2E_URL.
const baseURL = process.env.DESSINE_E2E_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'fr-FR',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ],
    },
  },
  // Each project comes from its own address (the test server trusts X-Forwarded-For), so that
  // the two, side by side, stay within the per-address limits (sign-up: 5 per hour).
  projects: [
    { name: 'js-on', use: { javaScriptEnabled: true, extraHTTPHeaders: { 'x-forwarded-for': '192.0.2.1' } } },
    { name: 'js-off', use: { javaScriptEnabled: false, extraHTTPHeaders: { 'x-forwarded-for': '192.0.2.2' } } },
  ],
});
