import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '../../core/src/extract/test-support/shared-data.js';
import { tokenIn } from '../../server/src/test-support/smtp-catcher.js';
import {
  expectAccessible,
  expectNoSidewaysScroll,
  screenshot,
  startWebQuarry,
  type WebQuarry,
} from './browser.js';

const ALICE = { name: 'Alice Owner', email: 'alice@example.org', password: 'alice-password-1' };
const BOB = { email: 'bob@example.org', password: 'bob-password-12' };

const NOTES = Buffer.from(
  '# Gearbox notes\n\nThe gearbox bearing ran hot after the last storm. ' +
    'We replaced the lubricant pump and the temperature fell within a day.\n',
);
/** A file of the shared awkward inputs, as the browser's file picker hands it over. */
const input = (name: string, mimeType = 'application/pdf') => ({
  name,
  mimeType,
  buffer: readFileSync(path.join(sharedDataDir(), 'inputs', name)),
});

const WIDE = { width: 1440, height: 900 };
const NARROW = { width: 375, height: 812 };

/** The compressed JavaScript a first visit downloads must stay under this. */
const FIRST_PAGE_JS_BUDGET = 250_000;

describe('the web app, driven in Chromium', () => {
  let w: WebQuarry;
  let context: BrowserContext;
  let page: Page;
  let project = '';

  const goto = (to: string) => page.goto(new URL(to, w.url).toString());
  const row = (name: string) => page.getByRole('row').filter({ hasText: name });

  beforeAll(async () => {
    w = await startWebQuarry();
    context = await w.browser.newContext({ viewport: WIDE });
    page = await context.newPage();
    page.setDefaultTimeout(20_000);
  });

  afterAll(async () => {
    await w?.close();
  });

  it('loads the first page with under 250 kB of compressed JavaScript', async () => {
    const fresh = await w.browser.newContext();
    const first = await fresh.newPage();
    const scripts: Array<{ url: string; encoding?: string; bytes: Promise<number> }> = [];
    first.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      scripts.push({
        url: response.url(),
        encoding: response.headers()['content-encoding'],
        bytes: response
          .request()
          .sizes()
          .then((s) => s.responseBodySize),
      });
    });
    await first.goto(w.url);
    await first.getByRole('heading', { name: 'Log in' }).waitFor();
    const sizes = await Promise.all(scripts.map((s) => s.bytes));
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.every((s) => s.encoding === 'br')).toBe(true);
    expect(total).toBeLessThan(FIRST_PAGE_JS_BUDGET);
    await fresh.close();
  });

  it('sends anonymous visitors to log in, and checks the sign-up form before sending', async () => {
    await goto('/');
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await expectAccessible(page, 'the log-in page');
    await screenshot(page, 'login');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await page.getByLabel('E-mail').fill('not-an-address');
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByText('This does not look like an e-mail address.').waitFor();
    await page.getByText('Use at least 10 characters.').waitFor();
    await expectAccessible(page, 'the sign-up page with errors');
    await screenshot(page, 'signup');
  });

  it('signs a new person up as the administrator, logs out and logs back in', async () => {
    await page.getByLabel('Name (optional)').fill(ALICE.name);
    await page.getByLabel('E-mail').fill(ALICE.email);
    await page.getByLabel('Password').fill(ALICE.password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await expect(page.getByRole('link', { name: 'Administration' }).isVisible()).resolves.toBe(
      true,
    );

    await logOut(page);
    await page.getByLabel('E-mail').fill(ALICE.email);
    await page.getByLabel('Password').fill('a-wrong-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: /password/i })
      .waitFor();
    await page.getByLabel('Password').fill(ALICE.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
  });

  it('creates a project and opens it', async () => {
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByText('Give the project a name.').waitFor();
    await page.getByLabel('Project name').fill('Turbine maintenance');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Turbine maintenance' }).waitFor();
    project = new URL(page.url()).pathname.split('/')[2]!;
    expect(project).toBeTruthy();
    await page.getByText('No documents yet.').waitFor();
  });

  it('uploads several files, showing each one reach indexed or its error in words', async () => {
    await page
      .getByTestId('file-input')
      .setInputFiles([
        { name: 'gearbox-notes.md', mimeType: 'text/markdown', buffer: NOTES },
        input('report.pdf'),
        input('user-password.pdf'),
      ]);
    // No reload: the states arrive as server-sent events.
    await row('report.pdf').getByText('Indexed').waitFor();
    await row('gearbox-notes.md').getByText('Indexed').waitFor();
    const locked = row('user-password.pdf');
    await locked.getByText('Failed (encrypted)').waitFor();
    await expect(locked.textContent()).resolves.toMatch(/password/i);
    await expect(row('report.pdf').textContent()).resolves.toContain(ALICE.email);
    await expectAccessible(page, 'the documents page');
    await screenshot(page, 'documents');

    // The owner reads who did what in the project.
    await page.getByRole('link', { name: 'Activity' }).click();
    const uploaded = page.getByRole('row').filter({ hasText: 'gearbox-notes.md' });
    await uploaded.getByRole('cell', { name: 'uploaded a file' }).waitFor();
    await expect(uploaded.textContent()).resolves.toContain(ALICE.email);
    await expectAccessible(page, 'the activity tab');
    await screenshot(page, 'activity');
  });

  it('searches by meaning and by words, with highlighted passages and page numbers', async () => {
    await page.getByRole('link', { name: 'Search', exact: true }).click();
    await page.getByText('Type words or a question.').waitFor();
    await page.locator('body').press('/');
    await page.keyboard.type('hairline cracks');
    await page.keyboard.press('Enter');
    const result = page.locator('.result').first();
    await result.getByRole('link', { name: 'report.pdf' }).first().waitFor();
    await expect(result.locator('mark').first().textContent()).resolves.toMatch(/hairline/i);
    await expect(result.locator('.page-tag').first().textContent()).resolves.toBe('p. 1');

    await page.getByLabel('Show scores').check();
    await result.locator('.score').first().waitFor();
    await page.getByText('Keyword', { exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('mode')).toBe('keyword');
    await result.locator('mark').first().waitFor();
    await expectAccessible(page, 'the search page');
    await screenshot(page, 'search');

    await page.getByRole('searchbox').fill('xylophone quasar');
    await page.keyboard.press('Enter');
    await page.getByText('Nothing relevant found for “xylophone quasar”.').waitFor();
  });

  it('streams an answer whose citation opens the cited passage, highlighted', async () => {
    await page.getByRole('link', { name: 'Ask', exact: true }).click();
    await page
      .getByLabel("Ask a question about this project's documents")
      .fill('What should we replace at the next planned outage?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByRole('heading', { name: 'Sources' }).waitFor();
    const quote = await page.locator('.sources blockquote').first().textContent();
    expect(quote).toBeTruthy();
    await expectAccessible(page, 'the ask page');
    await screenshot(page, 'ask');

    await page.locator('.answer-text a.citation').first().click();
    const mark = page.locator('mark[data-passage="true"]');
    await mark.first().waitFor();
    const highlighted = (await mark.allTextContents()).join('');
    expect(highlighted.replace(/\s+/g, ' ')).toContain(quote!.replace(/\s+/g, ' ').trim());
    await expect(page.getByRole('separator', { name: 'Page 3' }).count()).resolves.toBe(1);
    await expectAccessible(page, 'the document viewer');
    await screenshot(page, 'viewer');
  });

  it('says so when no passage answers a question', async () => {
    await goto(`/projects/${project}/ask`);
    await page
      .getByLabel("Ask a question about this project's documents")
      .fill('xylophone quasar nebula?');
    await page.getByRole('button', { name: 'Ask' }).click();
    await page.getByText('No relevant passage found.').waitFor();
  });

  it('invites a colleague by e-mail, who signs up, follows the link and sees it', async () => {
    await goto(`/projects/${project}/members`);
    await page.getByLabel('E-mail').fill(BOB.email);
    await page.getByLabel('Role').selectOption('viewer');
    await page.getByRole('button', { name: 'Invite' }).click();
    await page.getByText(`An invitation went to ${BOB.email}`).waitFor();
    await page.getByRole('heading', { name: 'Pending invitations' }).waitFor();
    await expectAccessible(page, 'the members page');
    await screenshot(page, 'members');

    const token = tokenIn(w.smtp.lastTo(BOB.email));
    const bobContext = await w.browser.newContext({ viewport: NARROW });
    const bob = await bobContext.newPage();
    bob.setDefaultTimeout(20_000);
    await bob.goto(new URL(`/invitations/accept?token=${token}`, w.url).toString());
    await bob.getByRole('heading', { name: 'Log in' }).waitFor();
    await bob.getByText('You have been invited to a project.').waitFor();
    await bob.getByRole('link', { name: 'Create an account' }).click();
    await bob.getByText('You have been invited to a project.').waitFor();
    await bob.getByLabel('E-mail').fill(BOB.email);
    await bob.getByLabel('Password').fill(BOB.password);
    await bob.getByRole('button', { name: 'Sign up' }).click();
    await bob.getByRole('heading', { name: 'Turbine maintenance' }).waitFor();
    await bob.getByText('viewer', { exact: true }).waitFor();
    // A viewer reads and searches the owner's uploads, but cannot upload.
    await bob.getByRole('row').filter({ hasText: 'gearbox-notes.md' }).waitFor();
    await expect(bob.getByRole('heading', { name: 'Upload' }).count()).resolves.toBe(0);
    await bob.getByRole('link', { name: 'Search', exact: true }).click();
    await bob.getByRole('searchbox').fill('lubricant pump');
    await bob.keyboard.press('Enter');
    await bob
      .locator('.result')
      .filter({ hasText: 'gearbox-notes.md' })
      .locator('mark')
      .first()
      .waitFor();
    await expectNoSidewaysScroll(bob, 'search for a viewer');
    await screenshot(bob, 'search-viewer-375');
    await bobContext.close();

    await page.reload();
    await page.getByRole('cell', { name: BOB.email, exact: true }).waitFor();
  });

  it('creates an API key whose secret is shown once, and revokes it', async () => {
    await goto('/keys');
    await page.getByLabel('Key name').fill('nightly import');
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your new key' });
    const secret = (await dialog.getByTestId('key-secret').textContent())!.trim();
    expect(secret).toMatch(/^qk_/);
    await screenshot(page, 'key-created');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByText(secret).count()).resolves.toBe(0);

    const asKey = () =>
      fetch(new URL('/api/v1/projects', w.url), { headers: { authorization: `Bearer ${secret}` } });
    await expect(asKey().then((r) => r.status)).resolves.toBe(200);

    await page.getByRole('button', { name: 'Revoke nightly import' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
    await row('nightly import')
      .getByText(/^revoked/)
      .waitFor();
    await expect(asKey().then((r) => r.status)).resolves.toBe(401);
    await expectAccessible(page, 'the API keys page');
    await screenshot(page, 'keys');
  });

  it('shows administrators the accounts and the system health', async () => {
    await goto('/admin');
    await page.getByRole('heading', { name: 'System health' }).waitFor();
    await page.getByText('ready', { exact: true }).waitFor();
    await row(BOB.email).getByRole('button', { name: 'Disable' }).click();
    await row(BOB.email).getByRole('cell', { name: 'disabled' }).waitFor();
    await row(BOB.email).getByRole('button', { name: 'Enable' }).click();
    await row(BOB.email).getByRole('cell', { name: 'active' }).waitFor();
    // The instance's audit log, newest first: the account just enabled again is in it.
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await page.getByRole('cell', { name: 'uploaded a file' }).first().waitFor();
    await expectAccessible(page, 'the administration page');
    await screenshot(page, 'admin');
  });

  it('switches to dark mode and keeps it', async () => {
    await goto('/account');
    await page.getByText('Dark', { exact: true }).click();
    const background = () =>
      page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    await expect(background()).resolves.toBe('rgb(21, 23, 26)');
    await page.reload();
    await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
    await expect(background()).resolves.toBe('rgb(21, 23, 26)');
    await expectAccessible(page, 'the account page in dark mode');
    await screenshot(page, 'account-dark');
    await goto(`/projects/${project}/search?q=vibration`);
    await page.locator('.result mark').first().waitFor();
    await expectAccessible(page, 'search results in dark mode');
    await screenshot(page, 'search-dark');
    await goto('/account');
    await page.getByText('Light', { exact: true }).click();
    await expect(background()).resolves.toBe('rgb(247, 247, 245)');
  });

  it('keeps every main page usable at 375 px and at 1440 px wide', async () => {
    const pages = [
      ['projects', '/'],
      ['documents', `/projects/${project}`],
      ['search', `/projects/${project}/search?q=vibration`],
      ['ask', `/projects/${project}/ask`],
      ['members', `/projects/${project}/members`],
      ['activity', `/projects/${project}/activity`],
      ['keys', '/keys'],
      ['account', '/account'],
      ['admin', '/admin'],
    ] as const;
    for (const viewport of [NARROW, WIDE]) {
      await page.setViewportSize(viewport);
      for (const [name, to] of pages) {
        await goto(to);
        await page.locator('main h1').first().waitFor();
        await expectNoSidewaysScroll(page, name);
        await screenshot(page, `${name}-${viewport.width}`);
      }
    }
  });

  it('logs out, after which pages ask to log in again', async () => {
    await goto('/');
    await logOut(page);
    await goto(`/projects/${project}`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/projects/${project}`);
  });
});

async function logOut(page: Page) {
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Log out' }).click();
  await page.getByRole('heading', { name: 'Log in' }).waitFor();
}
