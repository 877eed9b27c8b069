import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { resultRows } from '@quarry/store';
import type { SettingsInput } from '../config/settings.js';
import type { TestQuarry } from './test-quarry.js';

export const API = '/api/v1';

/** Limits high enough that only the tests about limits ever reach them. */
export const ROOMY_RATE_LIMITS: SettingsInput['rateLimit'] = {
  windowMs: 60_000,
  authPerIp: 10_000,
  authPerAccount: 10_000,
  apiPerKey: 10_000,
};

/** A request with no credential at all, as from a fresh browser or script. */
export function anonymous(t: TestQuarry, options: InjectOptions) {
  return t.quarry.http.inject(options);
}

/** A signed-in browser: its session and CSRF cookies and CSRF header go with each request. */
export interface Browser {
  userId: string;
  email: string;
  password: string;
  /** The session cookie's secret. */
  sessionToken: string;
  csrfToken: string;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  /** The same request carrying only the session cookie, as a cross-site form would. */
  injectWithoutCsrf(options: InjectOptions): Promise<LightMyRequestResponse>;
}

async function browserFrom(
  t: TestQuarry,
  response: LightMyRequestResponse,
  password: string,
): Promise<Browser> {
  expect(response.statusCode, response.body).toBeLessThan(300);
  const session = response.cookies.find((c) => c.name === 'quarry_session');
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe('Lax');
  const user = response.json<{ user: { id: string; email: string } }>().user;
  return browserWithSession(t, { ...user, password }, session!.value);
}

/** A browser holding the session cookie `sessionToken` of an account. */
export async function browserWithSession(
  t: TestQuarry,
  user: { id: string; email: string; password: string },
  sessionToken: string,
): Promise<Browser> {
  const { password } = user;
  const csrf = await t.quarry.http.inject({
    url: `${API}/auth/csrf`,
    cookies: { quarry_session: sessionToken },
  });
  const csrfSecret = csrf.cookies.find((c) => c.name === 'quarry_csrf')!.value;
  const csrfToken = csrf.json<{ token: string }>().token;
  const withCookies = (options: InjectOptions, headers: InjectOptions['headers']) =>
    t.quarry.http.inject({
      ...options,
      cookies: { quarry_session: sessionToken, quarry_csrf: csrfSecret },
      headers: { ...headers, ...options.headers },
    });
  return {
    userId: user.id,
    email: user.email,
    password,
    sessionToken,
    csrfToken,
    inject: (options) => withCookies(options, { 'x-csrf-token': csrfToken }),
    injectWithoutCsrf: (options) => withCookies(options, {}),
  };
}

/** Something that sends requests with one credential: a browser, a script with a key… */
export interface Client {
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/** A script sending an API key as its bearer credential. */
export function apiKeyClient(t: TestQuarry, secret: string): Client {
  return {
    inject: (options) =>
      t.quarry.http.inject({
        ...options,
        headers: { ...options.headers, authorization: `Bearer ${secret}` },
      }),
  };
}

/** A sign-up attempt, whatever its outcome. */
export function trySignUp(t: TestQuarry, email: string, password: string, remoteAddress?: string) {
  return anonymous(t, {
    method: 'POST',
    url: `${API}/auth/signup`,
    payload: { email, password },
    remoteAddress,
  });
}

/** A log-in attempt, whatever its outcome. */
export function tryLogIn(t: TestQuarry, email: string, password: string, remoteAddress?: string) {
  return anonymous(t, {
    method: 'POST',
    url: `${API}/auth/login`,
    payload: { email, password },
    remoteAddress,
  });
}

export async function signUp(
  t: TestQuarry,
  email: string,
  password = `pw-${email}-long-enough`,
  remoteAddress?: string,
): Promise<Browser> {
  const response = await trySignUp(t, email, password, remoteAddress);
  expect(response.statusCode, response.body).toBe(201);
  return browserFrom(t, response, password);
}

export async function logIn(t: TestQuarry, email: string, password: string): Promise<Browser> {
  return browserFrom(t, await tryLogIn(t, email, password), password);
}

/** Creates a project as `owner` and returns its slug. */
export async function createProject(owner: Browser, name: string): Promise<string> {
  const response = await owner.inject({
    method: 'POST',
    url: `${API}/projects`,
    payload: { name },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ slug: string }>().slug;
}

/** Adds an existing account to a project with a role (the owner invites it). */
export async function addMember(
  owner: Browser,
  project: string,
  member: Browser,
  role: 'editor' | 'viewer',
) {
  const response = await owner.inject({
    method: 'POST',
    url: `${API}/projects/${project}/members`,
    payload: { email: member.email, role },
  });
  expect(response.statusCode, response.body).toBe(201);
}

export const errorCode = (response: LightMyRequestResponse) =>
  response.json<{ error: { code: string } }>().error.code;

/** Every row of every table, as text, to show that a secret is stored nowhere. */
export async function everyRowAsText(t: TestQuarry): Promise<string> {
  const db = t.quarry.store.db;
  const tables = resultRows<{ name: string }>(
    await db.execute(
      sql`select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE'`,
    ),
  );
  expect(tables.map((table) => table.name)).toEqual(
    expect.arrayContaining(['api_keys', 'sessions', 'password_resets', 'invitations']),
  );
  const dumps: string[] = [];
  for (const { name } of tables) {
    const rows = resultRows<unknown>(await db.execute(sql.raw(`select * from "${name}"`)));
    dumps.push(`${name}: ${JSON.stringify(rows)}`);
  }
  return dumps.join('\n');
}
