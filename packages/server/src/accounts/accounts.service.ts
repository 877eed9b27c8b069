import { and, asc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import {
  LOCAL_ADMIN_USER_ID,
  memberships,
  passwordResets,
  projects,
  sessions,
  users,
  type Database,
  type UserRow,
} from '@quarry/store';
import { requireAdmin, requireScope } from '../access/access.js';
import { recordAudit } from '../audit/audit.service.js';
import { userCaller, type Caller } from '../caller.js';
import type { Settings } from '../config/settings.js';
import { QuarryError } from '../errors/catalogue.js';
import type { Mailer } from '../mail/mailer.js';
import { hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.js';

/** What clients see of an account. */
export interface UserDto {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
  disabled: boolean;
  createdAt: Date;
}

export function toUserDto(row: UserRow): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    isAdmin: row.isAdmin,
    disabled: row.disabled,
    createdAt: row.createdAt,
  };
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A signed-in browser: the account and the cookie's secret (sent once, never stored). */
export interface NewSession {
  user: UserDto;
  token: string;
  expiresAt: Date;
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface AccountsService {
  signup(input: { email: string; password: string; name?: string }): Promise<NewSession>;
  login(input: { email: string; password: string }): Promise<NewSession>;
  logout(caller: Caller): Promise<void>;
  /** The caller a session cookie stands for, or null when it is unknown or expired. */
  resolveSession(token: string): Promise<Caller | null>;
  me(caller: Caller): Promise<UserDto>;
  updateProfile(caller: Caller, input: { name: string }): Promise<UserDto>;
  changePassword(
    caller: Caller,
    input: { currentPassword: string; newPassword: string },
  ): Promise<void>;
  requestPasswordReset(email: string): Promise<void>;
  confirmPasswordReset(input: { token: string; newPassword: string }): Promise<void>;
  deleteOwnAccount(caller: Caller, password: string): Promise<void>;
  listUsers(caller: Caller): Promise<UserDto[]>;
  createUser(
    caller: Caller,
    input: { email: string; password: string; name?: string; isAdmin?: boolean },
  ): Promise<UserDto>;
  updateUser(
    caller: Caller,
    userId: string,
    input: { disabled?: boolean; isAdmin?: boolean },
  ): Promise<UserDto>;
  deleteUser(caller: Caller, userId: string): Promise<void>;
}

export function createAccountsService(deps: {
  db: Database;
  settings: Settings;
  mailer: Mailer;
  /** Called after any change that can take access away (sessions, accounts). */
  onAccessChanged: () => void;
}): AccountsService {
  const { db, settings, mailer } = deps;
  const auth = settings.auth;
  const publicUrl = settings.publicUrl ?? `http://${settings.host}:${settings.port}`;

  function checkPasswordStrength(password: string): void {
    if (password.length < auth.minPasswordLength) {
      throw new QuarryError(
        'weak_password',
        `Use at least ${auth.minPasswordLength} characters for the password.`,
      );
    }
  }

  async function startSession(executor: Tx | Database, user: UserRow): Promise<NewSession> {
    const { secret, hash } = newSecret('qs');
    const expiresAt = new Date(Date.now() + auth.sessionDays * 86_400_000);
    await executor.insert(sessions).values({ userId: user.id, tokenHash: hash, expiresAt });
    return { user: toUserDto(user), token: secret, expiresAt };
  }

  async function findUser(userId: string): Promise<UserRow> {
    const [row] = await db.select().from(users).where(eq(users.id, userId));
    if (!row || row.id === LOCAL_ADMIN_USER_ID) throw new QuarryError('user_not_found');
    return row;
  }

  function requireSignedIn(caller: Caller): string {
    if (caller.kind === 'anonymous' || !caller.userId) throw new QuarryError('unauthenticated');
    return caller.userId;
  }

  /** Password changes and account deletion need the person, not a key. */
  function requirePerson(caller: Caller): string {
    const userId = requireSignedIn(caller);
    if (caller.kind !== 'user') {
      throw new QuarryError('forbidden', 'Sign in with your password to do that.');
    }
    return userId;
  }

  /**
   * Removes an account. Projects it owns alone go with it; a project it owns with others
   * passes to its longest-standing other member, so no project is left without an owner.
   */
  async function removeUser(tx: Tx, caller: Caller, user: UserRow): Promise<string[]> {
    const owned = await tx
      .select({ projectId: memberships.projectId })
      .from(memberships)
      .where(and(eq(memberships.userId, user.id), eq(memberships.role, 'owner')));
    const removedProjects: string[] = [];
    for (const { projectId } of owned) {
      const [heir] = await tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(eq(memberships.projectId, projectId), ne(memberships.userId, user.id)))
        .orderBy(
          sql`case ${memberships.role} when 'editor' then 0 else 1 end`,
          asc(memberships.createdAt),
        )
        .limit(1);
      if (heir) {
        await tx
          .delete(memberships)
          .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, user.id)));
        await tx
          .update(memberships)
          .set({ role: 'owner' })
          .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, heir.userId)));
        await recordAudit(tx, caller, {
          action: 'project.transfer',
          projectId,
          target: { type: 'user', id: heir.userId },
          details: { reason: 'previous owner deleted' },
        });
      } else {
        await tx.delete(projects).where(eq(projects.id, projectId));
        removedProjects.push(projectId);
      }
    }
    await tx.delete(users).where(eq(users.id, user.id));
    await recordAudit(tx, caller, {
      action: 'user.delete',
      target: { type: 'user', id: user.id },
      details: { email: user.email },
    });
    return removedProjects;
  }

  return {
    async signup(input) {
      if (!auth.signupEnabled) throw new QuarryError('signup_disabled');
      checkPasswordStrength(input.password);
      const email = normalizeEmail(input.email);
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const [existing] = await tx
          .select({ id: users.id })
          .from(users)
          .where(eq(users.email, email));
        if (existing) throw new QuarryError('email_taken');
        const [people] = await tx
          .select({ n: sql<number>`count(*)::int` })
          .from(users)
          .where(ne(users.id, LOCAL_ADMIN_USER_ID));
        const isAdmin = auth.initialAdminEmail
          ? normalizeEmail(auth.initialAdminEmail) === email
          : (people?.n ?? 0) === 0;
        const [user] = await tx
          .insert(users)
          .values({ email, name: input.name?.trim() ?? '', passwordHash, isAdmin })
          .onConflictDoNothing()
          .returning();
        if (!user) throw new QuarryError('email_taken');
        await recordAudit(tx, userCaller(user), {
          action: 'user.signup',
          target: { type: 'user', id: user.id },
        });
        return startSession(tx, user);
      });
    },

    async login(input) {
      const email = normalizeEmail(input.email);
      const [user] = await db.select().from(users).where(eq(users.email, email));
      const now = new Date();
      if (user?.lockedUntil && user.lockedUntil > now) throw lockedError(user.lockedUntil);
      const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
      if (!user || !valid) {
        if (user) await countFailure(user);
        throw new QuarryError('invalid_credentials');
      }
      if (user.disabled) throw new QuarryError('account_disabled');
      if (user.failedLogins > 0 || user.lockedUntil) {
        await db
          .update(users)
          .set({ failedLogins: 0, lockedUntil: null })
          .where(eq(users.id, user.id));
      }
      return startSession(db, user);
    },

    async logout(caller) {
      if (caller.sessionId) await db.delete(sessions).where(eq(sessions.id, caller.sessionId));
      deps.onAccessChanged();
    },

    async resolveSession(token) {
      const [row] = await db
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, hashSecret(token)), gt(sessions.expiresAt, sql`now()`)));
      if (!row || row.user.disabled) return null;
      return { ...userCaller(row.user), sessionId: row.session.id };
    },

    async me(caller) {
      return toUserDto(await findUser(requireSignedIn(caller)));
    },

    async updateProfile(caller, input) {
      // A change like any other: a key that may only read may not make it.
      requireScope(caller, 'write');
      const userId = requireSignedIn(caller);
      const [row] = await db
        .update(users)
        .set({ name: input.name.trim() })
        .where(eq(users.id, userId))
        .returning();
      if (!row) throw new QuarryError('user_not_found');
      return toUserDto(row);
    },

    async changePassword(caller, input) {
      const userId = requirePerson(caller);
      const user = await findUser(userId);
      if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
        throw new QuarryError('wrong_password');
      }
      if (input.currentPassword === input.newPassword) throw new QuarryError('same_password');
      checkPasswordStrength(input.newPassword);
      const passwordHash = await hashPassword(input.newPassword);
      await db.transaction(async (tx) => {
        await tx.update(users).set({ passwordHash }).where(eq(users.id, userId));
        // Other browsers signed in with the old password are signed out.
        await tx
          .delete(sessions)
          .where(and(eq(sessions.userId, userId), ne(sessions.id, caller.sessionId ?? userId)));
        await recordAudit(tx, caller, {
          action: 'user.password_change',
          target: { type: 'user', id: userId },
        });
      });
      deps.onAccessChanged();
    },

    async requestPasswordReset(rawEmail) {
      const email = normalizeEmail(rawEmail);
      const [user] = await db.select().from(users).where(eq(users.email, email));
      // The answer is the same whether or not the account exists.
      if (!user || user.disabled || user.id === LOCAL_ADMIN_USER_ID) return;
      const { secret, hash } = newSecret('qr');
      const expiresAt = new Date(Date.now() + auth.resetTokenMinutes * 60_000);
      await db.insert(passwordResets).values({ userId: user.id, tokenHash: hash, expiresAt });
      const link = new URL('/reset-password', publicUrl);
      link.searchParams.set('token', secret);
      await mailer.send({
        to: user.email,
        subject: 'Reset your Quarry password',
        text:
          `Someone asked to reset the password of your Quarry account (${user.email}).\n\n` +
          `To choose a new password, open this link within ${auth.resetTokenMinutes} minutes:\n` +
          `${link.toString()}\n\nIf it was not you, ignore this message.\n`,
      });
    },

    async confirmPasswordReset(input) {
      checkPasswordStrength(input.newPassword);
      const passwordHash = await hashPassword(input.newPassword);
      await db.transaction(async (tx) => {
        // Marking the token used in the same statement that finds it makes it single-use even
        // when two requests race.
        const [reset] = await tx
          .update(passwordResets)
          .set({ usedAt: sql`now()` })
          .where(
            and(
              eq(passwordResets.tokenHash, hashSecret(input.token)),
              isNull(passwordResets.usedAt),
              gt(passwordResets.expiresAt, sql`now()`),
            ),
          )
          .returning();
        if (!reset) throw new QuarryError('invalid_token');
        await tx
          .update(users)
          .set({ passwordHash, failedLogins: 0, lockedUntil: null })
          .where(eq(users.id, reset.userId));
        await tx.delete(sessions).where(eq(sessions.userId, reset.userId));
        const [user] = await tx.select().from(users).where(eq(users.id, reset.userId));
        if (user) {
          await recordAudit(tx, userCaller(user), {
            action: 'user.password_reset',
            target: { type: 'user', id: user.id },
          });
        }
      });
      deps.onAccessChanged();
    },

    async deleteOwnAccount(caller, password) {
      const userId = requirePerson(caller);
      const user = await findUser(userId);
      if (!(await verifyPassword(user.passwordHash, password))) {
        throw new QuarryError('wrong_password');
      }
      await db.transaction((tx) => removeUser(tx, caller, user));
      deps.onAccessChanged();
    },

    async listUsers(caller) {
      requireAdmin(caller);
      const rows = await db
        .select()
        .from(users)
        .where(ne(users.id, LOCAL_ADMIN_USER_ID))
        .orderBy(asc(users.createdAt));
      return rows.map(toUserDto);
    },

    async createUser(caller, input) {
      requireAdmin(caller);
      checkPasswordStrength(input.password);
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const [user] = await tx
          .insert(users)
          .values({
            email: normalizeEmail(input.email),
            name: input.name?.trim() ?? '',
            passwordHash,
            isAdmin: input.isAdmin ?? false,
          })
          .onConflictDoNothing()
          .returning();
        if (!user) throw new QuarryError('email_taken');
        await recordAudit(tx, caller, {
          action: 'user.create',
          target: { type: 'user', id: user.id },
          details: { email: user.email, isAdmin: user.isAdmin },
        });
        return toUserDto(user);
      });
    },

    async updateUser(caller, userId, input) {
      requireAdmin(caller);
      if (userId === caller.userId) throw new QuarryError('cannot_delete_self');
      await findUser(userId);
      const row = await db.transaction(async (tx) => {
        const [updated] = await tx
          .update(users)
          .set({
            ...(input.disabled === undefined ? {} : { disabled: input.disabled }),
            ...(input.isAdmin === undefined ? {} : { isAdmin: input.isAdmin }),
          })
          .where(eq(users.id, userId))
          .returning();
        if (input.disabled) await tx.delete(sessions).where(eq(sessions.userId, userId));
        if (input.disabled !== undefined) {
          await recordAudit(tx, caller, {
            action: input.disabled ? 'user.disable' : 'user.enable',
            target: { type: 'user', id: userId },
            details: { email: updated!.email },
          });
        }
        return updated!;
      });
      deps.onAccessChanged();
      return toUserDto(row);
    },

    async deleteUser(caller, userId) {
      requireAdmin(caller);
      if (userId === caller.userId) throw new QuarryError('cannot_delete_self');
      const user = await findUser(userId);
      await db.transaction((tx) => removeUser(tx, caller, user));
      deps.onAccessChanged();
    },
  };

  function lockedError(until: Date) {
    const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
    return new QuarryError(
      'account_locked',
      `Too many failed log-ins: this account is locked for ${minutes} more minute` +
        `${minutes === 1 ? '' : 's'}. Try again then, or reset the password.`,
    );
  }

  async function countFailure(user: UserRow) {
    const [row] = await db
      .update(users)
      .set({ failedLogins: sql`${users.failedLogins} + 1` })
      .where(eq(users.id, user.id))
      .returning({ failedLogins: users.failedLogins });
    if (row && row.failedLogins >= auth.maxFailedLogins) {
      const until = new Date(Date.now() + auth.lockoutMinutes * 60_000);
      await db.transaction(async (tx) => {
        await tx
          .update(users)
          .set({ failedLogins: 0, lockedUntil: until })
          .where(eq(users.id, user.id));
        await recordAudit(tx, userCaller(user), {
          action: 'user.locked',
          target: { type: 'user', id: user.id },
        });
      });
      throw lockedError(until);
    }
  }
}
