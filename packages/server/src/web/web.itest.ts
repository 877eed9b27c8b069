import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync, brotliCompressSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

const SHELL = '<!doctype html><html><body><div id="root"></div></body></html>';
const SCRIPT = 'console.log("quarry");'.repeat(50);

describe('serving the web app', () => {
  let dir: string;
  let t: TestQuarry;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quarry-web-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), SHELL);
    await writeFile(join(dir, 'assets', 'app-1a2b3c.js'), SCRIPT);
    await writeFile(join(dir, 'assets', 'app-1a2b3c.js.br'), brotliCompressSync(SCRIPT));
    await writeFile(join(dir, 'assets', 'app-1a2b3c.js.gz'), gzipSync(SCRIPT));
    t = await startTestQuarry('pglite', { web: { dir } }, { runWorker: false });
  });

  afterAll(async () => {
    await t?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.quarry.http.inject({ method: 'GET', url, headers });

  it('sends hashed assets precompressed, with long-lived immutable caching', async () => {
    const brotli = await get('/assets/app-1a2b3c.js', { 'accept-encoding': 'br, gzip' });
    expect(brotli.statusCode).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotli.headers.vary).toContain('accept-encoding');
    expect(Number(brotli.headers['content-length'])).toBeLessThan(SCRIPT.length);

    const gzip = await get('/assets/app-1a2b3c.js', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');

    const plain = await get('/assets/app-1a2b3c.js', { 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it('answers every client-side route with the HTML shell, never cached', async () => {
    for (const path of ['/', '/projects/notes/search?q=pump', '/reset-password?token=x']) {
      const page = await get(path, { accept: 'text/html' });
      expect(page.statusCode, path).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['cache-control']).toBe('no-cache');
      expect(page.body).toBe(SHELL);
    }
  });

  it('sends the shell under the content security policy, with framing denied', async () => {
    const page = await get('/');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('keeps unknown API paths as JSON errors instead of the shell', async () => {
    const missing = await get('/api/v1/no-such-thing');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: { code: 'route_not_found' } });
    const health = await get('/healthz');
    expect(health.json()).toEqual({ status: 'ok' });
  });

  it('answers a file that is not there with 404, not with the shell', async () => {
    // An asset of an older build, asked for by a page still open in a browser.
    for (const path of ['/assets/app-0ld0ld.js', '/favicon.ico']) {
      const missing = await get(path);
      expect(missing.statusCode, path).toBe(404);
      expect(missing.body).not.toContain('<div id="root">');
    }
  });

  it('takes the folder relative to where it starts, and a CDN origin into its CSP', async () => {
    const cdn = await startTestQuarry(
      'pglite',
      {
        web: { dir: relative(process.cwd(), dir), assetOrigin: 'https://cdn.example.org/quarry/' },
      },
      { runWorker: false },
    );
    try {
      const page = await cdn.quarry.http.inject({ url: '/' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toBe(SHELL);
      expect(page.headers['content-security-policy']).toContain(
        "script-src 'self' https://cdn.example.org",
      );
    } finally {
      await cdn.cleanup();
    }
  });
});

describe('serving without a built web app', () => {
  it('starts and serves the API alone, saying why in the log', async () => {
    const t = await startTestQuarry(
      'pglite',
      { web: { dir: join(tmpdir(), 'quarry-no-such-build') } },
      { runWorker: false },
    );
    try {
      expect((await t.quarry.http.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await t.quarry.http.inject({ url: '/' })).statusCode).toBe(404);
      expect(t.logs.some((line) => String(line.msg).includes('no built web app'))).toBe(true);
    } finally {
      await t.cleanup();
    }
  });
});
