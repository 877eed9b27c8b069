import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import {
  apiKeys,
  invitations,
  memberships,
  passwordResets,
  sessions,
  users,
  type ApiKeyScope,
  type ProjectRole,
} from '@quarry/store';
import type { TestStoreKind } from '@quarry/store/test-support';
import { hashPassword, newSecret } from '../../accounts/secrets.js';
import { userCaller, type Caller } from '../../caller.js';
import {
  API,
  ROOMY_RATE_LIMITS,
  apiKeyClient,
  browserWithSession,
  createProject,
  signUp,
  type Browser,
  type Client,
} from '../../test-support/accounts.js';
import { upload } from '../../test-support/http.js';
import { startTestQuarry, type TestQuarry } from '../../test-support/test-quarry.js';

/**
 * Every kind of caller the authorization table has a column for. The project in question is
 * always the owner's shared project; the keys are the owner's, each with one scope only.
 */
export const ACTORS = [
  'anonymous',
  'nonMember',
  'viewer',
  'editor',
  'owner',
  'administrator',
  'readKey',
  'writeKey',
  'adminKey',
  'administratorKey',
  'revokedKey',
  'disabledUser',
  'disabledKey',
] as const;
export type Actor = (typeof ACTORS)[number];

const KEY_SCOPES: Partial<Record<Actor, ApiKeyScope[]>> = {
  readKey: ['read'],
  writeKey: ['write'],
  adminKey: ['admin'],
  administratorKey: ['admin'],
};

/** The shared project's role each caller acts with (keys act with their owner's). */
export const SHARED_ROLE: Partial<Record<Actor, ProjectRole>> = {
  viewer: 'viewer',
  editor: 'editor',
  owner: 'owner',
  readKey: 'owner',
  writeKey: 'owner',
  adminKey: 'owner',
};

export interface Account {
  id: string;
  email: string;
  password: string;
}

export interface Upload {
  name: string;
  text: string;
  fileId: string;
  documentId: string;
}

/** Words of the other person's project that no answer about the shared one may contain. */
export const PRIVATE_MARKER = 'zephyrine';

/** Files whose words overlap, so that a leak across projects would show in every search. */
export const CORPUS = {
  owner: {
    name: 'owner-herons.txt',
    text:
      'Herons nest in the reed beds along the north shore of the lake. ' +
      'The spring survey counted eleven nests.',
  },
  editor: {
    name: 'editor-herons.txt',
    text:
      'Herons hunt at dawn in the shallow water of the south shore. ' +
      'They stand still for minutes, then strike at passing fish.',
  },
  private: {
    name: `${PRIVATE_MARKER}-herons.txt`,
    text: `Herons nest and hunt at dawn on the shore of ${PRIVATE_MARKER} island, in secret.`,
  },
};

export interface World {
  t: TestQuarry;
  people: Record<
    'administrator' | 'owner' | 'editor' | 'viewer' | 'outsider' | 'disabled' | 'bystander',
    Browser
  >;
  /** The owner's project, with the editor, the viewer and the disabled person as members. */
  shared: { slug: string; id: string; owner: Upload; editor: Upload };
  /** The outsider's project, which nobody else may ever read a word of. */
  private: { slug: string; id: string; upload: Upload };
  client(actor: Actor): Client;
  /** The account an actor's credential belongs to; null for anonymous callers. */
  accountOf(actor: Actor): Account | null;
  /**
   * A new account with the same kind of credential as `actor`, for requests that end a
   * session or an account, so that the table's own callers stay as they are.
   */
  standIn(actor: Actor): Promise<{ client: Client; account: Account | null }>;
  /**
   * A new project of the owner's with the editor, the viewer, the disabled person (as an
   * editor) and the bystander (as a viewer), for a request that changes it; `bare`: the
   * owner alone.
   */
  freshProject(options?: { bare?: boolean }): Promise<{ slug: string; id: string }>;
  /** A new account made directly in the database, signing in with `password`. */
  newAccount(options?: { isAdmin?: boolean }): Promise<Account>;
  newKey(account: Account, scopes: ApiKeyScope[]): Promise<{ id: string; secret: string }>;
  /** A browser signed in as `account`, its session made directly in the database. */
  newSession(account: Account): Promise<Browser>;
  /** An invitation to `email` into `projectId`, as if sent before the address signed up. */
  invitation(projectId: string, email: string): Promise<{ id: string; token: string }>;
  /** The token of a password reset e-mailed to `account`. */
  resetToken(account: Account): Promise<string>;
  /** A name no other call returns. */
  unique(prefix: string): string;
}

const callerOf = (account: Account): Caller =>
  userCaller({ id: account.id, email: account.email, isAdmin: false });

/** Signs everybody up, fills both projects and hands out the keys the table's callers use. */
export async function buildWorld(kind: TestStoreKind): Promise<World> {
  const t = await startTestQuarry(kind, { rateLimit: ROOMY_RATE_LIMITS });
  const db = t.quarry.store.db;
  const account = (b: Browser): Account => ({ id: b.userId, email: b.email, password: b.password });

  // The first account is the administrator; the rest need not wait for one another.
  const administrator = await signUp(t, 'administrator@example.com');
  const names = ['owner', 'editor', 'viewer', 'outsider', 'disabled', 'bystander'] as const;
  const signedUp = await Promise.all(names.map((name) => signUp(t, `${name}@example.com`)));
  const people = Object.fromEntries([
    ['administrator', administrator],
    ...names.map((name, i) => [name, signedUp[i]!] as const),
  ]) as World['people'];
  const { owner, editor, viewer, outsider, disabled, bystander } = people;
  const ownerCaller = callerOf(account(owner));

  const { shared, private: theirs } = await fillProjects(t, people);

  // Stand-ins sign in with one password, hashed once: argon2 is slow on purpose.
  const standInPassword = 'a stand-in password, long enough';
  const standInHash = await hashPassword(standInPassword);
  let counter = 0;
  const unique = (prefix: string) => `${prefix}-${++counter}-${randomUUID().slice(0, 6)}`;

  async function newAccount(options: { isAdmin?: boolean } = {}): Promise<Account> {
    const email = `${unique('someone')}@example.com`;
    const [row] = await db
      .insert(users)
      .values({ email, passwordHash: standInHash, isAdmin: options.isAdmin ?? false })
      .returning({ id: users.id });
    return { id: row!.id, email, password: standInPassword };
  }

  async function newKey(of: Account, scopes: ApiKeyScope[]) {
    const created = await t.quarry.keys.create(callerOf(of), { name: unique('key'), scopes });
    return { id: created.key.id, secret: created.secret };
  }

  async function newSession(of: Account): Promise<Browser> {
    const { secret, hash } = newSecret('qs');
    await db
      .insert(sessions)
      .values({ userId: of.id, tokenHash: hash, expiresAt: new Date(Date.now() + 86_400_000) });
    return browserWithSession(t, of, secret);
  }

  // The owner's keys, one scope each; the administrator's admin key; a revoked key.
  const keys: Partial<Record<Actor, string>> = {};
  for (const actor of ['readKey', 'writeKey', 'adminKey'] as const) {
    keys[actor] = (await newKey(account(owner), KEY_SCOPES[actor]!)).secret;
  }
  keys.administratorKey = (await newKey(account(administrator), ['admin'])).secret;
  const revoked = await newKey(account(owner), ['read', 'write', 'admin']);
  await t.quarry.keys.revoke(ownerCaller, revoked.id);
  keys.revokedKey = revoked.secret;

  // A member who had a session and a key, then was disabled by the administrator.
  keys.disabledKey = (await newKey(account(disabled), ['read', 'write', 'admin'])).secret;
  const disabling = await administrator.inject({
    method: 'PATCH',
    url: `${API}/admin/users/${disabled.userId}`,
    payload: { disabled: true },
  });
  if (disabling.statusCode !== 200) throw new Error(`disabling failed: ${disabling.body}`);

  const browsers: Partial<Record<Actor, Browser>> = {
    nonMember: outsider,
    viewer,
    editor,
    owner,
    administrator,
    disabledUser: disabled,
  };
  const client = (actor: Actor): Client => {
    if (actor === 'anonymous') return { inject: (options) => t.quarry.http.inject(options) };
    const key = keys[actor];
    return key ? apiKeyClient(t, key) : browsers[actor]!;
  };
  const accountOf = (actor: Actor): Account | null => {
    if (actor === 'anonymous') return null;
    if (actor === 'administratorKey') return account(administrator);
    if (actor === 'disabledKey') return account(disabled);
    const browser = browsers[actor];
    return browser ? account(browser) : account(owner);
  };

  return {
    t,
    people,
    shared,
    private: theirs,
    client,
    accountOf,
    async standIn(actor) {
      const scopes = KEY_SCOPES[actor];
      // Callers without a working credential have nothing to lose: they stand for themselves.
      if (!scopes && (!browsers[actor] || actor === 'disabledUser')) {
        return { client: client(actor), account: accountOf(actor) };
      }
      const standIn = await newAccount({
        isAdmin: actor === 'administrator' || actor === 'administratorKey',
      });
      const standInClient = scopes
        ? apiKeyClient(t, (await newKey(standIn, scopes)).secret)
        : await newSession(standIn);
      return { client: standInClient, account: standIn };
    },
    async freshProject(options = {}) {
      const project = await t.quarry.projects.create(ownerCaller, { name: unique('Target') });
      if (!options.bare) {
        for (const [member, role] of [
          [editor, 'editor'],
          [viewer, 'viewer'],
          [disabled, 'editor'],
          [bystander, 'viewer'],
        ] as const) {
          await db
            .insert(memberships)
            .values({ projectId: project.id, userId: member.userId, role });
        }
        t.quarry.projects.invalidate();
      }
      return { slug: project.slug, id: project.id };
    },
    newAccount,
    newKey,
    newSession,
    async invitation(projectId, email) {
      const { secret, hash } = newSecret('qi');
      const [row] = await db
        .insert(invitations)
        .values({
          projectId,
          email,
          role: 'viewer',
          tokenHash: hash,
          expiresAt: new Date(Date.now() + 86_400_000),
        })
        .returning({ id: invitations.id });
      return { id: row!.id, token: secret };
    },
    async resetToken(of) {
      const { secret, hash } = newSecret('qr');
      await db.insert(passwordResets).values({
        userId: of.id,
        tokenHash: hash,
        expiresAt: new Date(Date.now() + 600_000),
      });
      return secret;
    },
    unique,
  };
}

/**
 * The owner's shared project, where the owner and the editor each upload a file, and the
 * outsider's project with a file of overlapping words; indexed before it returns.
 */
async function fillProjects(
  t: TestQuarry,
  people: World['people'],
): Promise<Pick<World, 'shared' | 'private'>> {
  const { owner, editor, viewer, outsider, disabled } = people;
  const sharedSlug = await createProject(owner, 'Shared');
  for (const [member, role] of [
    [editor, 'editor'],
    [viewer, 'viewer'],
    [disabled, 'editor'],
  ] as const) {
    const added = await owner.inject({
      method: 'POST',
      url: `${API}/projects/${sharedSlug}/members`,
      payload: { email: member.email, role },
    });
    if (added.statusCode !== 201) throw new Error(`adding a member failed: ${added.body}`);
  }
  const privateSlug = await createProject(outsider, 'Private');
  for (const [who, project, file] of [
    [owner, sharedSlug, CORPUS.owner],
    [editor, sharedSlug, CORPUS.editor],
    [outsider, privateSlug, CORPUS.private],
  ] as const) {
    const bytes = new TextEncoder().encode(file.text);
    const sent = await upload(who, project, [{ name: file.name, bytes }]);
    if (sent.statusCode !== 202) throw new Error(`upload failed: ${sent.body}`);
  }
  await t.quarry.drain();

  const uploadsOf = async (slug: string) => {
    const project = (await t.inject({ url: `${API}/projects/${slug}` })).json<{ id: string }>();
    const response = await t.inject({ url: `${API}/projects/${slug}/documents` });
    const { documents } = response.json<{
      documents: Array<{ id: string; fileId: string; fileName: string }>;
    }>();
    const byName = (file: { name: string; text: string }): Upload => {
      const document = documents.find((d) => d.fileName === file.name);
      if (!document) throw new Error(`${file.name} was not indexed`);
      return { ...file, fileId: document.fileId, documentId: document.id };
    };
    return { slug, id: project.id, byName };
  };
  const ours = await uploadsOf(sharedSlug);
  const theirs = await uploadsOf(privateSlug);
  return {
    shared: {
      slug: ours.slug,
      id: ours.id,
      owner: ours.byName(CORPUS.owner),
      editor: ours.byName(CORPUS.editor),
    },
    private: { slug: theirs.slug, id: theirs.id, upload: theirs.byName(CORPUS.private) },
  };
}

/** The ids of the API keys an account holds, straight from the database. */
export async function keyIdsOf(w: World, accountId: string): Promise<string[]> {
  const rows = await w.t.quarry.store.db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(eq(apiKeys.userId, accountId));
  return rows.map((row) => row.id);
}

/** The ids of the projects an account is a member of, straight from the database. */
export async function projectIdsOf(w: World, accountId: string): Promise<string[]> {
  const rows = await w.t.quarry.store.db
    .select({ id: memberships.projectId })
    .from(memberships)
    .where(eq(memberships.userId, accountId));
  return rows.map((row) => row.id);
}
