import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { PROJECT_ROLES, type ProjectRole } from '@quarry/store';
import type { Caller, Scope } from '../caller.js';
import { QuarryError } from '../errors/catalogue.js';

/**
 * What an operation on a project needs: a role in the project and a scope on the caller's
 * credential. `view` reads (list, search, ask, documents, jobs, events), `edit` changes
 * content (upload, delete documents), `own` manages the project and its members, `audit`
 * reads the project's audit log (its owner, reading), `leave` gives up the caller's own
 * membership (any member, changing something).
 */
export type Need = 'view' | 'edit' | 'own' | 'audit' | 'leave';

const NEEDS: Record<Need, { role: ProjectRole; scope: Scope }> = {
  view: { role: 'viewer', scope: 'read' },
  edit: { role: 'editor', scope: 'write' },
  own: { role: 'owner', scope: 'write' },
  audit: { role: 'owner', scope: 'read' },
  leave: { role: 'viewer', scope: 'write' },
};

const rank = (role: ProjectRole) => PROJECT_ROLES.indexOf(role);

/** The roles that satisfy a need, weakest first. */
export function rolesFor(need: Need): ProjectRole[] {
  return PROJECT_ROLES.filter((role) => rank(role) >= rank(NEEDS[need].role));
}

/** Fails unless the caller is signed in and its credential carries `scope`. */
export function requireScope(caller: Caller, scope: Scope): void {
  if (caller.kind === 'anonymous') throw new QuarryError('unauthenticated');
  if (!caller.scopes.has(scope)) {
    throw new QuarryError(
      'insufficient_scope',
      `This API key lacks the "${scope}" scope this request needs.`,
    );
  }
}

/**
 * Fails unless the caller's credential carries the scope `need` asks for. Checked before the
 * project is looked up, so a key learns nothing about projects it could not act on anyway.
 */
export function requireScopeFor(caller: Caller, need: Need): void {
  requireScope(caller, NEEDS[need].scope);
}

/** Fails unless the caller is an instance administrator acting with the `admin` scope. */
export function requireAdmin(caller: Caller): void {
  requireScope(caller, 'admin');
  if (!caller.isAdmin) throw new QuarryError('forbidden', 'Only administrators may do that.');
}

/**
 * Checks a caller's role in a project it can see. `role` is the caller's membership (null
 * when it has none). A project the caller is not a member of does not exist for it.
 */
export function checkProjectAccess(
  caller: Caller,
  need: Need,
  role: ProjectRole | null,
  ref: string,
): void {
  requireScope(caller, NEEDS[need].scope);
  if (caller.kind === 'local-admin') return;
  if (!role) throw new QuarryError('project_not_found', `No project "${ref}" exists.`);
  if (rank(role) < rank(NEEDS[need].role)) {
    throw new QuarryError(
      'forbidden',
      `This needs the ${NEEDS[need].role} role in the project; you are ${article(role)} ${role}.`,
    );
  }
}

const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/**
 * The SQL condition that the caller's credential still holds: its key is not revoked, its
 * session has not ended, its account is not disabled. Requests are authenticated once, when
 * they arrive; a check made later in a long-lived request (each event of an open stream)
 * must see a revocation that happened since.
 */
export function credentialHolds(caller: Caller): SQL {
  if (caller.kind === 'local-admin') return sql`true`;
  if (!caller.userId) return sql`false`;
  const account = sql`exists (select 1 from users u
    where u.id = ${caller.userId} and not u.disabled)`;
  if (caller.keyId) {
    return sql`${account} and exists (select 1 from api_keys k
      where k.id = ${caller.keyId} and k.revoked_at is null)`;
  }
  if (caller.sessionId) {
    return sql`${account} and exists (select 1 from sessions s
      where s.id = ${caller.sessionId} and s.expires_at > now())`;
  }
  return account;
}

/**
 * The SQL condition that the project in `projectId` is one the caller may read with `need`:
 * placed inside every retrieval query, so rows of other projects are never read, not
 * merely filtered out afterwards.
 */
export function memberOf(caller: Caller, projectId: AnyPgColumn | SQL, need: Need = 'view'): SQL {
  if (caller.kind === 'local-admin') return sql`true`;
  if (!caller.userId || !caller.scopes.has(NEEDS[need].scope)) return sql`false`;
  const roles = rolesFor(need);
  return sql`exists (select 1 from memberships m where m.project_id = ${projectId} and m.user_id = ${caller.userId} and m.role in (${sql.join(
    roles.map((role) => sql`${role}`),
    sql`, `,
  )}))`;
}
