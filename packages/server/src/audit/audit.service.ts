import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { auditEvents, type AuditEventRow, type Database } from '@quarry/store';
import type { Caller } from '../caller.js';

/** Actions recorded in the audit log, `thing.verb`. */
export type AuditAction =
  | 'project.create'
  | 'project.rename'
  | 'project.delete'
  | 'project.transfer'
  | 'document.upload'
  | 'document.delete'
  | 'member.invite'
  | 'member.add'
  | 'member.role'
  | 'member.remove'
  | 'member.leave'
  | 'invitation.revoke'
  | 'invitation.accept'
  | 'key.create'
  | 'key.revoke'
  | 'user.signup'
  | 'user.create'
  | 'user.disable'
  | 'user.enable'
  | 'user.delete'
  | 'user.password_change'
  | 'user.password_reset'
  | 'user.locked';

export interface AuditEntry {
  action: AuditAction;
  projectId?: string | null;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
}

/** Anything that can run a query: the database or a transaction. */
type Executor = Pick<Database, 'insert'>;

/** Writes one audit event, in the caller's transaction when `executor` is one. */
export async function recordAudit(executor: Executor, caller: Caller, entry: AuditEntry) {
  await executor.insert(auditEvents).values({
    actorId: caller.userId,
    actorEmail: caller.email ?? (caller.kind === 'local-admin' ? 'local administrator' : null),
    action: entry.action,
    projectId: entry.projectId ?? null,
    targetType: entry.target?.type ?? null,
    targetId: entry.target?.id ?? null,
    details: entry.details ?? null,
  });
}

export interface AuditPage {
  events: AuditEventRow[];
  /** Pass as `before` for the next, older page. */
  nextBefore: number | null;
}

/**
 * Reads audit events newest first, optionally for one project. Callers check who may read
 * which; `visible` carries that condition into the query where it depends on a membership.
 */
export async function readAudit(
  db: Database,
  options: { projectId?: string; visible?: SQL; before?: number; limit: number },
): Promise<AuditPage> {
  const conditions: SQL[] = [];
  if (options.projectId) conditions.push(eq(auditEvents.projectId, options.projectId));
  if (options.visible) conditions.push(options.visible);
  if (options.before) conditions.push(lt(auditEvents.id, options.before));
  const events = await db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(options.limit + 1);
  const more = events.length > options.limit;
  const page = more ? events.slice(0, options.limit) : events;
  return { events: page, nextBefore: more ? page[page.length - 1]!.id : null };
}
