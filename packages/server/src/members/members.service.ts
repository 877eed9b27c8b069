import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import {
  LOCAL_ADMIN_USER_ID,
  invitations,
  memberships,
  projects,
  users,
  type Database,
  type ProjectRole,
} from '@quarry/store';
import { normalizeEmail } from '../accounts/accounts.service.js';
import { hashSecret, newSecret } from '../accounts/secrets.js';
import { requireScope } from '../access/access.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Caller } from '../caller.js';
import type { Settings } from '../config/settings.js';
import { QuarryError } from '../errors/catalogue.js';
import type { Mailer } from '../mail/mailer.js';
import type { ProjectsService, VisibleProject } from '../projects/projects.service.js';

export interface MemberDto {
  userId: string;
  email: string;
  name: string;
  role: ProjectRole;
  since: Date;
}

export interface InvitationDto {
  id: string;
  email: string;
  role: ProjectRole;
  createdAt: Date;
  expiresAt: Date;
}

/** Roles that can be given by invitation or role change; ownership moves by transfer. */
export type GrantableRole = Exclude<ProjectRole, 'owner'>;

export interface MembersService {
  /** Members of a project; pending invitations are shown to its owner only. */
  list(
    caller: Caller,
    ref: string,
  ): Promise<{ members: MemberDto[]; invitations: InvitationDto[] }>;
  /** Adds an existing account at once, or e-mails an invitation that waits for sign-up. */
  invite(
    caller: Caller,
    ref: string,
    input: { email: string; role: GrantableRole },
  ): Promise<{ member: MemberDto } | { invitation: InvitationDto }>;
  changeRole(caller: Caller, ref: string, userId: string, role: GrantableRole): Promise<void>;
  remove(caller: Caller, ref: string, userId: string): Promise<void>;
  leave(caller: Caller, ref: string): Promise<void>;
  transfer(caller: Caller, ref: string, userId: string): Promise<void>;
  revokeInvitation(caller: Caller, ref: string, invitationId: string): Promise<void>;
  /** Joins the project of an invitation sent to the caller's address. */
  accept(caller: Caller, token: string): Promise<VisibleProject>;
}

export function createMembersService(deps: {
  db: Database;
  projects: ProjectsService;
  mailer: Mailer;
  settings: Settings;
}): MembersService {
  const { db, settings } = deps;
  const publicUrl = settings.publicUrl ?? `http://${settings.host}:${settings.port}`;

  async function membership(projectId: string, userId: string) {
    const [row] = await db
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.projectId, projectId), eq(memberships.userId, userId)));
    if (!row) throw new QuarryError('member_not_found');
    return row;
  }

  /** Changes that take access away or give it apply to the very next request. */
  const changed = () => deps.projects.invalidate();

  const service: MembersService = {
    async list(caller, ref) {
      const project = await deps.projects.get(caller, ref);
      const members = await db
        .select({
          userId: users.id,
          email: users.email,
          name: users.name,
          role: memberships.role,
          since: memberships.createdAt,
        })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(eq(memberships.projectId, project.id))
        .orderBy(
          sql`case ${memberships.role} when 'owner' then 0 when 'editor' then 1 else 2 end`,
          asc(users.email),
        );
      const isOwner = project.role === 'owner' || caller.kind === 'local-admin';
      const pending = isOwner
        ? await db
            .select({
              id: invitations.id,
              email: invitations.email,
              role: invitations.role,
              createdAt: invitations.createdAt,
              expiresAt: invitations.expiresAt,
            })
            .from(invitations)
            .where(
              and(
                eq(invitations.projectId, project.id),
                isNull(invitations.acceptedAt),
                gt(invitations.expiresAt, sql`now()`),
              ),
            )
            .orderBy(asc(invitations.createdAt))
        : [];
      return { members, invitations: pending };
    },

    async invite(caller, ref, input) {
      const project = await deps.projects.get(caller, ref, 'own');
      const email = normalizeEmail(input.email);
      const [account] = await db.select().from(users).where(eq(users.email, email));
      if (account && account.id !== LOCAL_ADMIN_USER_ID) {
        const added = await db.transaction(async (tx) => {
          const [row] = await tx
            .insert(memberships)
            .values({ projectId: project.id, userId: account.id, role: input.role })
            .onConflictDoNothing()
            .returning();
          if (!row) throw new QuarryError('already_member');
          await recordAudit(tx, caller, {
            action: 'member.add',
            projectId: project.id,
            target: { type: 'user', id: account.id },
            details: { email, role: input.role },
          });
          return row;
        });
        changed();
        return {
          member: {
            userId: account.id,
            email: account.email,
            name: account.name,
            role: added.role,
            since: added.createdAt,
          },
        };
      }
      const { secret, hash } = newSecret('qi');
      const expiresAt = new Date(Date.now() + settings.auth.invitationDays * 86_400_000);
      const invitation = await db.transaction(async (tx) => {
        // A new invitation to the same address replaces the old one.
        await tx
          .delete(invitations)
          .where(
            and(
              eq(invitations.projectId, project.id),
              eq(invitations.email, email),
              isNull(invitations.acceptedAt),
            ),
          );
        const [row] = await tx
          .insert(invitations)
          .values({
            projectId: project.id,
            email,
            role: input.role,
            tokenHash: hash,
            invitedBy: caller.userId,
            expiresAt,
          })
          .returning();
        await recordAudit(tx, caller, {
          action: 'member.invite',
          projectId: project.id,
          target: { type: 'invitation', id: row!.id },
          details: { email, role: input.role },
        });
        return row!;
      });
      const link = new URL('/invitations/accept', publicUrl);
      link.searchParams.set('token', secret);
      await deps.mailer.send({
        to: email,
        subject: `You are invited to "${project.name}" on Quarry`,
        text:
          `${caller.email ?? 'The administrator'} invited you to the Quarry project ` +
          `"${project.name}" as ${input.role}.\n\nCreate an account with this address (or sign ` +
          `in), then open this link within ${settings.auth.invitationDays} days:\n` +
          `${link.toString()}\n`,
      });
      return {
        invitation: {
          id: invitation.id,
          email,
          role: invitation.role,
          createdAt: invitation.createdAt,
          expiresAt: invitation.expiresAt,
        },
      };
    },

    async changeRole(caller, ref, userId, role) {
      const project = await deps.projects.get(caller, ref, 'own');
      const current = await membership(project.id, userId);
      if (current.role === 'owner') throw new QuarryError('owner_required');
      await db.transaction(async (tx) => {
        await tx
          .update(memberships)
          .set({ role })
          .where(and(eq(memberships.projectId, project.id), eq(memberships.userId, userId)));
        await recordAudit(tx, caller, {
          action: 'member.role',
          projectId: project.id,
          target: { type: 'user', id: userId },
          details: { from: current.role, to: role },
        });
      });
      changed();
    },

    async remove(caller, ref, userId) {
      const project = await deps.projects.get(caller, ref, 'own');
      const current = await membership(project.id, userId);
      if (current.role === 'owner') throw new QuarryError('owner_required');
      await db.transaction(async (tx) => {
        await tx
          .delete(memberships)
          .where(and(eq(memberships.projectId, project.id), eq(memberships.userId, userId)));
        await recordAudit(tx, caller, {
          action: 'member.remove',
          projectId: project.id,
          target: { type: 'user', id: userId },
        });
      });
      changed();
    },

    async leave(caller, ref) {
      const project = await deps.projects.get(caller, ref, 'leave');
      if (caller.kind === 'local-admin' || project.role === 'owner') {
        throw new QuarryError('owner_required');
      }
      await db.transaction(async (tx) => {
        await tx
          .delete(memberships)
          .where(
            and(eq(memberships.projectId, project.id), eq(memberships.userId, caller.userId!)),
          );
        await recordAudit(tx, caller, {
          action: 'member.leave',
          projectId: project.id,
          target: { type: 'user', id: caller.userId! },
        });
      });
      changed();
    },

    async transfer(caller, ref, userId) {
      const project = await deps.projects.get(caller, ref, 'own');
      const target = await membership(project.id, userId);
      if (target.role === 'owner') return;
      await db.transaction(async (tx) => {
        // The old owner stays on as an editor; one statement order keeps one owner at a time.
        await tx
          .update(memberships)
          .set({ role: 'editor' })
          .where(and(eq(memberships.projectId, project.id), eq(memberships.role, 'owner')));
        await tx
          .update(memberships)
          .set({ role: 'owner' })
          .where(and(eq(memberships.projectId, project.id), eq(memberships.userId, userId)));
        await recordAudit(tx, caller, {
          action: 'project.transfer',
          projectId: project.id,
          target: { type: 'user', id: userId },
        });
      });
      changed();
    },

    async revokeInvitation(caller, ref, invitationId) {
      const project = await deps.projects.get(caller, ref, 'own');
      await db.transaction(async (tx) => {
        const [row] = await tx
          .delete(invitations)
          .where(
            and(
              eq(invitations.projectId, project.id),
              eq(invitations.id, invitationId),
              isNull(invitations.acceptedAt),
            ),
          )
          .returning();
        if (!row) throw new QuarryError('invitation_not_found');
        await recordAudit(tx, caller, {
          action: 'invitation.revoke',
          projectId: project.id,
          target: { type: 'invitation', id: invitationId },
          details: { email: row.email },
        });
      });
    },

    async accept(caller, token) {
      requireScope(caller, 'write');
      if (caller.kind !== 'user' || !caller.email) {
        throw new QuarryError('forbidden', 'Sign in to accept an invitation.');
      }
      const projectId = await db.transaction(async (tx) => {
        const [invitation] = await tx
          .update(invitations)
          .set({ acceptedAt: sql`now()` })
          .where(
            and(
              eq(invitations.tokenHash, hashSecret(token)),
              isNull(invitations.acceptedAt),
              gt(invitations.expiresAt, sql`now()`),
              eq(invitations.email, caller.email!),
            ),
          )
          .returning();
        if (!invitation) {
          throw new QuarryError(
            'invalid_token',
            'This invitation is invalid, expired, already used, or was sent to another ' +
              'address: sign in with the address it was sent to, or ask for a new one.',
          );
        }
        const [project] = await tx
          .select({ id: projects.id })
          .from(projects)
          .where(eq(projects.id, invitation.projectId));
        if (!project) throw new QuarryError('invalid_token');
        await tx
          .insert(memberships)
          .values({ projectId: project.id, userId: caller.userId!, role: invitation.role })
          .onConflictDoNothing();
        await recordAudit(tx, caller, {
          action: 'invitation.accept',
          projectId: project.id,
          target: { type: 'invitation', id: invitation.id },
          details: { role: invitation.role },
        });
        return project.id;
      });
      changed();
      return deps.projects.get(caller, projectId);
    },
  };
  return service;
}
