import { test, expect } from '@playwright/test';
import * as http from 'node:http';

// Raw HTTP (no automatic decompression) so that the bytes on the wire are what we measure.
function fetchRaw(url: string, encoding: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': encoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: buf.length, body: buf.toString('utf8') });
        });
      })
      .on('error', reject);
  });
}

const BUDGET = 100 * 1024;
const pages = ['/', '/qu-est-ce-que-l-ess', '/qu-est-ce-que-dessine', '/qui-sommes-nous', '/annuaire', '/annuaire/entreprendre-ensemble'];
/** Pages with a live part (an island): they load the WebAssembly; the others load none. */
const live = ['/annuaire'];

test.describe('static assets', () => {
  test.skip(({ javaScriptEnabled }) => !javaScriptEnabled, 'HTTP-level checks run once');

  for (const path of pages) {
    test(`${path} ships at most 100 KB of JS + WASM + CSS with brotli`, async ({ baseURL }) => {
      const html = (await fetchRaw(baseURL + path, 'identity')).body;
      const assets = [...html.matchAll(/(?:href)="(\/pkg\/[^"]+\.(?:css|js|wasm))"/g)].map((m) => m[1]);
      expect(assets.some((a) => a.endsWith('.wasm')), 'WebAssembly where there is a live part only').toBe(live.includes(path));
      expect(assets.some((a) => a.endsWith('.js')), 'JavaScript files where there is a live part only').toBe(live.includes(path));
      expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
      let total = 0;
      for (const asset of new Set(assets)) {
        const res = await fetchRaw(baseURL + asset, 'br');
        expect(res.status, asset).toBe(200);
        expect(res.headers['content-encoding'], asset).toBe('br');
        expect(res.headers['cache-control'], asset).toBe('public, max-age=31536000, immutable');
        total += res.bytes;
      }
      console.log(`${path}: ${total} bytes brotli of JS + WASM + CSS`);
      expect(total).toBeLessThanOrEqual(BUDGET);
    });
  }

  test('wasm is served with gzip to clients without brotli, and with its type', async ({ baseURL }) => {
    const html = (await fetchRaw(baseURL + '/annuaire', 'identity')).body;
    const wasm = html.match(/href="(\/pkg\/[^"]+\.wasm)"/)![1];
    const gz = await fetchRaw(baseURL + wasm, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers['content-type']).toBe('application/wasm');
    const plain = await fetchRaw(baseURL + wasm, 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes).toBeGreaterThan(gz.bytes);
  });
});
