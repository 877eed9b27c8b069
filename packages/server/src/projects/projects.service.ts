import { and, asc, eq, isNotNull, or, sql } from 'drizzle-orm';
import {
  memberships,
  projects,
  type Database,
  type ProjectRole,
  type ProjectRow,
} from '@quarry/store';
import {
  checkProjectAccess,
  credentialHolds,
  requireScope,
  requireScopeFor,
  type Need,
} from '../access/access.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Caller } from '../caller.js';
import { QuarryError } from '../errors/catalogue.js';

/** How long a resolved project and role are reused (embedded mode only, see below). */
const ACCESS_CACHE_MS = 2_000;
/** Bound on the access cache, whatever refs and credentials callers come with. */
const ACCESS_CACHE_ENTRIES = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NO_USER = '00000000-0000-0000-0000-000000000000';

/** A project's short name: lower-case letters, digits and dashes, as typed on the CLI. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return slug || 'project';
}

/** A project as one caller sees it: with the caller's role (null for the local admin). */
export type VisibleProject = ProjectRow & { role: ProjectRole | null };

export interface ProjectsService {
  create(caller: Caller, input: { name: string; slug?: string }): Promise<VisibleProject>;
  list(caller: Caller): Promise<VisibleProject[]>;
  /**
   * Resolves a project by id or short name among those the caller is a member of, and checks
   * the caller may do `need` there. Others' projects fail with `project_not_found`.
   */
  get(caller: Caller, ref: string, need?: Need): Promise<VisibleProject>;
  /** Like `get`, but creates the project when the caller has none by that name (CLI). */
  ensure(caller: Caller, ref: string): Promise<VisibleProject>;
  rename(caller: Caller, ref: string, name: string): Promise<VisibleProject>;
  remove(caller: Caller, ref: string): Promise<void>;
  /** Drops cached roles at once; called on every change of memberships or accounts. */
  invalidate(): void;
}

export function createProjectsService(deps: {
  db: Database;
  /**
   * Whether resolved roles may be kept for a moment. Only safe when this process makes
   * every change (embedded mode, which holds the store's lock): each change invalidates.
   */
  cacheAccess: boolean;
  onRemoved?: (projectId: string) => void;
}): ProjectsService {
  const { db } = deps;
  const recent = new Map<string, { project: VisibleProject; until: number }>();

  /**
   * Projects with the caller's role in each (null where it is not a member, or where its
   * credential no longer holds: an open event stream asks again before each event).
   */
  function withRole(caller: Caller) {
    return db
      .select({ project: projects, role: memberships.role })
      .from(projects)
      .leftJoin(
        memberships,
        and(
          eq(memberships.projectId, projects.id),
          eq(memberships.userId, caller.userId ?? NO_USER),
          credentialHolds(caller),
        ),
      );
  }

  function lookup(caller: Caller, ref: string, mineOnly: boolean) {
    const byRef = UUID.test(ref)
      ? or(eq(projects.id, ref), eq(projects.slug, ref))
      : eq(projects.slug, ref.toLowerCase());
    return withRole(caller).where(and(byRef, mineOnly ? isNotNull(memberships.role) : undefined));
  }

  /**
   * A project of the caller's named `ref`: when another person's project took the short name
   * first, the caller's own `notes` got `notes-2`, and `notes` must still find it.
   */
  function lookupByName(caller: Caller, ref: string) {
    return withRole(caller)
      .where(and(isNotNull(memberships.role), sql`lower(${projects.name}) = lower(${ref.trim()})`))
      .orderBy(asc(projects.createdAt))
      .limit(1);
  }

  /** The project by that ref the caller is a member of (any project for the local admin). */
  async function find(caller: Caller, ref: string): Promise<VisibleProject | undefined> {
    // Per credential, not per account: a revoked key must not find what a session of the
    // same person has just looked up.
    const key = `${caller.keyId ?? caller.sessionId ?? caller.userId}\u0000${ref}`;
    const cached = recent.get(key);
    if (cached && cached.until > Date.now()) return cached.project;
    let [row] = await lookup(caller, ref, caller.kind !== 'local-admin');
    if (!row && caller.kind !== 'local-admin') [row] = await lookupByName(caller, ref);
    const project = row && { ...row.project, role: row.role };
    if (project && deps.cacheAccess) {
      // Entries live two seconds: a full map only holds expired ones and stale refs.
      if (recent.size >= ACCESS_CACHE_ENTRIES) recent.clear();
      recent.set(key, { project, until: Date.now() + ACCESS_CACHE_MS });
    }
    return project;
  }

  /** A free slug: `notes`, or `notes-2`… when another person's project took the name. */
  async function freeSlug(caller: Caller, wanted: string): Promise<string> {
    for (let n = 1; n < 1_000; n++) {
      const slug = n === 1 ? wanted : `${wanted.slice(0, 58)}-${n}`;
      const [taken] = await lookup(caller, slug, false);
      if (!taken) return slug;
      if (taken.role || caller.kind === 'local-admin') {
        throw new QuarryError(
          'project_exists',
          `You already have a project called "${taken.project.name}". Choose another name.`,
        );
      }
    }
    throw new QuarryError('project_exists');
  }

  const service: ProjectsService = {
    async create(caller, input) {
      requireScope(caller, 'write');
      const slug = await freeSlug(caller, slugify(input.slug ?? input.name));
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(projects)
          .values({ name: input.name.trim(), slug })
          .onConflictDoNothing()
          .returning();
        if (!created) {
          throw new QuarryError('project_exists', `A project named "${slug}" already exists.`);
        }
        await tx
          .insert(memberships)
          .values({ projectId: created.id, userId: caller.userId!, role: 'owner' });
        await recordAudit(tx, caller, {
          action: 'project.create',
          projectId: created.id,
          target: { type: 'project', id: created.id },
          details: { name: created.name, slug },
        });
        return created;
      });
      return { ...row, role: 'owner' };
    },

    async list(caller) {
      requireScope(caller, 'read');
      const rows = await withRole(caller)
        .where(caller.kind === 'local-admin' ? undefined : isNotNull(memberships.role))
        .orderBy(asc(projects.createdAt));
      return rows.map((row) => ({ ...row.project, role: row.role }));
    },

    async get(caller, ref, need = 'view') {
      requireScopeFor(caller, need);
      const project = await find(caller, ref);
      if (!project) throw new QuarryError('project_not_found', `No project "${ref}" exists.`);
      checkProjectAccess(caller, need, project.role, ref);
      return project;
    },

    async ensure(caller, ref) {
      requireScope(caller, 'write');
      return (await find(caller, ref)) ?? service.create(caller, { name: ref });
    },

    async rename(caller, ref, name) {
      const project = await service.get(caller, ref, 'own');
      const row = await db.transaction(async (tx) => {
        const [updated] = await tx
          .update(projects)
          .set({ name: name.trim(), updatedAt: sql`now()` })
          .where(eq(projects.id, project.id))
          .returning();
        await recordAudit(tx, caller, {
          action: 'project.rename',
          projectId: project.id,
          target: { type: 'project', id: project.id },
          details: { from: project.name, to: name.trim() },
        });
        return updated!;
      });
      service.invalidate();
      return { ...row, role: project.role };
    },

    async remove(caller, ref) {
      const project = await service.get(caller, ref, 'own');
      await db.transaction(async (tx) => {
        // Files, blobs, documents, chunks, vectors, jobs, members and invitations go with it
        // by cascading keys.
        await tx.delete(projects).where(eq(projects.id, project.id));
        await recordAudit(tx, caller, {
          action: 'project.delete',
          projectId: project.id,
          target: { type: 'project', id: project.id },
          details: { name: project.name, slug: project.slug },
        });
      });
      service.invalidate();
      deps.onRemoved?.(project.id);
    },

    invalidate() {
      recent.clear();
    },
  };
  return service;
}
