import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { projects } from '@quarry/store';
import { STORE_KINDS } from '@quarry/store/test-support';
import { settingsFromEnv } from '../config/settings.js';
import {
  API,
  ROOMY_RATE_LIMITS,
  addMember,
  createProject,
  errorCode,
  logIn,
  signUp,
  tryLogIn,
  trySignUp,
  type Browser,
} from '../test-support/accounts.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

interface UserJson {
  id: string;
  email: string;
  isAdmin: boolean;
  disabled: boolean;
}

const me = (browser: Browser) => browser.inject({ url: `${API}/auth/me` });

describe.each(STORE_KINDS)('accounts on %s', (kind) => {
  let t: TestQuarry;
  let admin: Browser;

  beforeAll(async () => {
    t = await startTestQuarry(kind, { rateLimit: ROOMY_RATE_LIMITS });
    admin = await signUp(t, 'first@example.com');
  });
  afterAll(async () => t?.cleanup());

  it('makes the first account an administrator and later ones not', async () => {
    expect((await me(admin)).json<{ user: UserJson }>().user.isAdmin).toBe(true);
    const second = await signUp(t, 'second@example.com');
    expect((await me(second)).json<{ user: UserJson }>().user.isAdmin).toBe(false);
  });

  it('refuses a second account with the same address, whatever its case', async () => {
    const response = await trySignUp(t, ' First@Example.COM ', 'another-long-password');
    expect(response.statusCode).toBe(409);
    expect(errorCode(response)).toBe('email_taken');
  });

  it('signs in, says who is signed in, and signs out for good', async () => {
    const user = await signUp(t, 'inout@example.com');
    const again = await logIn(t, user.email, user.password);
    expect((await me(again)).json<{ user: UserJson }>().user.email).toBe('inout@example.com');

    const wrong = await tryLogIn(t, user.email, 'not-the-password');
    expect(wrong.statusCode).toBe(401);
    expect(errorCode(wrong)).toBe('invalid_credentials');

    const out = await again.inject({ method: 'POST', url: `${API}/auth/logout` });
    expect(out.statusCode).toBe(204);
    expect((await me(again)).statusCode).toBe(401);
    // The other browser's session is untouched.
    expect((await me(user)).statusCode).toBe(200);
  });

  it('refuses a wrong or unchanged current password', async () => {
    const user = await signUp(t, 'change@example.com');
    const change = (currentPassword: string, newPassword: string) =>
      user.inject({
        method: 'POST',
        url: `${API}/auth/password`,
        payload: { currentPassword, newPassword },
      });

    const wrong = await change('not-my-password', 'a-brand-new-password');
    expect(wrong.statusCode).toBe(400);
    expect(errorCode(wrong)).toBe('wrong_password');
    const same = await change(user.password, user.password);
    expect(same.statusCode).toBe(400);
    expect(errorCode(same)).toBe('same_password');
    const short = await change(user.password, 'short');
    expect(errorCode(short)).toBe('weak_password');

    // None of the refusals changed anything: the old password still signs in.
    await logIn(t, user.email, user.password);
  });

  it('signs other browsers out when the password changes, and keeps this one', async () => {
    const laptop = await signUp(t, 'sessions@example.com');
    const phone = await logIn(t, laptop.email, laptop.password);
    const changed = await laptop.inject({
      method: 'POST',
      url: `${API}/auth/password`,
      payload: { currentPassword: laptop.password, newPassword: 'the-second-password' },
    });
    expect(changed.statusCode).toBe(204);

    expect((await me(laptop)).statusCode).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);
    const old = await tryLogIn(t, laptop.email, laptop.password);
    expect(old.statusCode).toBe(401);
    await logIn(t, laptop.email, 'the-second-password');
  });

  it('lets an administrator list, create, disable, enable and delete users', async () => {
    const created = await admin.inject({
      method: 'POST',
      url: `${API}/admin/users`,
      payload: { email: 'made@example.com', password: 'made-by-the-admin' },
    });
    expect(created.statusCode).toBe(201);
    const made = created.json<{ user: UserJson }>().user;
    const listed = await admin.inject({ url: `${API}/admin/users` });
    expect(listed.json<{ users: UserJson[] }>().users.map((u) => u.email)).toContain(made.email);

    const browser = await logIn(t, made.email, 'made-by-the-admin');
    const setDisabled = (disabled: boolean) =>
      admin.inject({
        method: 'PATCH',
        url: `${API}/admin/users/${made.id}`,
        payload: { disabled },
      });
    expect((await setDisabled(true)).json<{ user: UserJson }>().user.disabled).toBe(true);
    // A disabled account's sessions end and it cannot sign in again.
    expect((await me(browser)).statusCode).toBe(401);
    const refused = await tryLogIn(t, made.email, 'made-by-the-admin');
    expect(refused.statusCode).toBe(403);
    expect(errorCode(refused)).toBe('account_disabled');

    expect((await setDisabled(false)).statusCode).toBe(200);
    await logIn(t, made.email, 'made-by-the-admin');

    const deleted = await admin.inject({ method: 'DELETE', url: `${API}/admin/users/${made.id}` });
    expect(deleted.statusCode).toBe(204);
    const after = await admin.inject({ url: `${API}/admin/users` });
    expect(after.json<{ users: UserJson[] }>().users.map((u) => u.email)).not.toContain(made.email);
  });

  it('does not let an administrator delete or disable their own account', async () => {
    const deleted = await admin.inject({
      method: 'DELETE',
      url: `${API}/admin/users/${admin.userId}`,
    });
    expect(deleted.statusCode).toBe(409);
    expect(errorCode(deleted)).toBe('cannot_delete_self');
    const disabled = await admin.inject({
      method: 'PATCH',
      url: `${API}/admin/users/${admin.userId}`,
      payload: { disabled: true },
    });
    expect(disabled.statusCode).toBe(409);
    expect(errorCode(disabled)).toBe('cannot_delete_self');
    expect((await me(admin)).json<{ user: UserJson }>().user.disabled).toBe(false);
  });

  it('deletes your own account: projects you alone own go, shared ones pass on', async () => {
    const leaver = await signUp(t, 'leaver@example.com');
    const viewer = await signUp(t, 'viewer-heir@example.com');
    const editor = await signUp(t, 'editor-heir@example.com');
    const alone = await createProject(leaver, 'Leaver alone');
    const shared = await createProject(leaver, 'Leaver shared');
    await addMember(leaver, shared, viewer, 'viewer');
    await addMember(leaver, shared, editor, 'editor');

    const wrong = await leaver.inject({
      method: 'DELETE',
      url: `${API}/auth/me`,
      payload: { password: 'not-the-password' },
    });
    expect(errorCode(wrong)).toBe('wrong_password');
    const deleted = await leaver.inject({
      method: 'DELETE',
      url: `${API}/auth/me`,
      payload: { password: leaver.password },
    });
    expect(deleted.statusCode).toBe(204);

    const db = t.quarry.store.db;
    expect(await db.select().from(projects).where(eq(projects.slug, alone))).toEqual([]);
    const members = await editor.inject({ url: `${API}/projects/${shared}/members` });
    expect(
      members.json<{ members: Array<{ email: string; role: string }> }>().members,
    ).toMatchObject([
      { email: 'editor-heir@example.com', role: 'owner' },
      { email: 'viewer-heir@example.com', role: 'viewer' },
    ]);
    expect((await me(leaver)).statusCode).toBe(401);
    const login = await tryLogIn(t, leaver.email, leaver.password);
    expect(login.statusCode).toBe(401);
  });
});

describe.each(STORE_KINDS)('account settings on %s', (kind) => {
  it('refuses sign-up when it is turned off, while administrators still create users', async () => {
    const t = await startTestQuarry(kind, {
      auth: settingsFromEnv({ QUARRY_SIGNUP_ENABLED: 'false' }).auth,
    });
    try {
      const response = await trySignUp(t, 'nobody@example.com', 'a-long-password');
      expect(response.statusCode).toBe(403);
      expect(errorCode(response)).toBe('signup_disabled');
      const created = await t.inject({
        method: 'POST',
        url: `${API}/admin/users`,
        payload: { email: 'somebody@example.com', password: 'a-long-password' },
      });
      expect(created.statusCode).toBe(201);
      await logIn(t, 'somebody@example.com', 'a-long-password');
    } finally {
      await t.cleanup();
    }
  });

  it('makes the account named by QUARRY_ADMIN_EMAIL the administrator, not the first', async () => {
    const t = await startTestQuarry(kind, {
      auth: settingsFromEnv({ QUARRY_ADMIN_EMAIL: 'Boss@Example.com' }).auth,
    });
    try {
      const early = await signUp(t, 'early@example.com');
      const boss = await signUp(t, 'boss@example.com');
      expect((await me(early)).json<{ user: UserJson }>().user.isAdmin).toBe(false);
      expect((await me(boss)).json<{ user: UserJson }>().user.isAdmin).toBe(true);
      expect((await early.inject({ url: `${API}/admin/users` })).statusCode).toBe(403);
    } finally {
      await t.cleanup();
    }
  });
});
