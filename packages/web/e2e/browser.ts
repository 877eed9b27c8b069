import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { createScratchStoreConfig } from '@quarry/store/test-support';
import { createLogger, createQuarry, parseSettings, type Quarry } from '@quarry/server';
import { repoRoot } from '../../core/src/extract/test-support/shared-data.js';
import { ROOMY_RATE_LIMITS } from '../../server/src/test-support/accounts.js';
import { startSmtpCatcher, type SmtpCatcher } from '../../server/src/test-support/smtp-catcher.js';

/** Debian's Chromium: the browser tests never download one of their own. */
export const CHROMIUM = process.env.QUARRY_CHROMIUM ?? '/usr/bin/chromium';

/** The flags this machine's closed network and root user need. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const WEB_DIST = fileURLToPath(new URL('../dist', import.meta.url));
export const SCREENSHOTS = path.join(repoRoot(), 'test-artifacts', 'screenshots');

export interface WebQuarry {
  url: string;
  quarry: Quarry;
  smtp: SmtpCatcher;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * A real Quarry server on a scratch embedded store, serving the built web app on a free
 * port, with e-mail going to a real SMTP catcher, and Chromium to drive it.
 */
export async function startWebQuarry(): Promise<WebQuarry> {
  const scratch = await createScratchStoreConfig('pglite');
  const smtp = await startSmtpCatcher();
  const settings = parseSettings({
    store: scratch.config,
    logLevel: 'warn',
    jobs: { pollIntervalMs: 20 },
    rateLimit: ROOMY_RATE_LIMITS,
    mail: smtp.settings,
    web: { dir: WEB_DIST },
  });
  const quarry = await createQuarry(settings, { logger: createLogger('warn') });
  const url = await quarry.http.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    url,
    quarry,
    smtp,
    browser,
    async close() {
      await browser.close();
      await quarry.close();
      await smtp.close();
      await scratch.drop();
    },
  };
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const AXE_SOURCE = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs in the page (a string, since this file is compiled without the DOM's types). */
const RUN_AXE = `(async () => {
  const result = await axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
})()`;

/**
 * Runs the axe-core accessibility rules (WCAG 2 A and AA) on the page as it is, and fails
 * on any violation. Evaluated through the DevTools protocol, so the page's CSP stays on.
 */
export async function expectAccessible(page: Page, what: string) {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate<Violation[]>(RUN_AXE);
  expect(violations, `accessibility of ${what}: ${JSON.stringify(violations)}`).toEqual([]);
}

/** The outermost elements reaching past the right edge, to say what overflows. */
const MEASURE_WIDTH = `(() => {
  const limit = window.innerWidth;
  const over = Array.from(document.querySelectorAll('body *'))
    .filter((e) => {
      const box = e.getBoundingClientRect();
      return box.width > 1 && box.height > 1 && box.right > limit + 1;
    })
    .slice(0, 3)
    .map((e) => {
      const text = (e.textContent || '').slice(0, 30);
      return e.tagName.toLowerCase() + '.' + e.className + ' "' + text + '"';
    });
  return { scroll: document.documentElement.scrollWidth, width: limit, widest: over };
})()`;

/**
 * Whether the page fits its viewport's width: no sideways scrolling of the page, and nothing
 * that reaches past its right edge inside a box that scrolls on its own (a table's last
 * columns, hidden until someone thinks of swiping).
 */
export async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scroll, width, widest } = await page.evaluate<{
    scroll: number;
    width: number;
    widest: string[];
  }>(MEASURE_WIDTH);
  expect(scroll, `${what} at ${width}px: ${widest.join(', ')}`).toBeLessThanOrEqual(width);
  expect(widest, `${what} at ${width}px reaches past the right edge`).toEqual([]);
}
