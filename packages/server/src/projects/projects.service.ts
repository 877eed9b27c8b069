import { asc, eq, or, sql } from 'drizzle-orm';
import { projects, type Database, type ProjectRow } from '@quarry/store';
import type { Caller } from '../caller.js';
import { QuarryError } from '../errors/catalogue.js';

/** How long a resolved project is reused without asking the database again. */
const PROJECT_CACHE_MS = 2_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/**
 * Which projects a caller may see. Until accounts exist the only caller is the local
 * administrator of an embedded instance; everyone else sees nothing (deny by default).
 */
export function canAccessProjects(caller: Caller): boolean {
  return caller.kind === 'local-admin';
}

export interface ProjectsService {
  create(caller: Caller, input: { name: string; slug?: string }): Promise<ProjectRow>;
  list(caller: Caller): Promise<ProjectRow[]>;
  /** Resolves a project by id or short name, or fails with `project_not_found`. */
  get(caller: Caller, ref: string): Promise<ProjectRow>;
  /** Like `get`, but creates the project when it does not exist yet (CLI convenience). */
  ensure(caller: Caller, ref: string): Promise<ProjectRow>;
  rename(caller: Caller, ref: string, name: string): Promise<ProjectRow>;
  remove(caller: Caller, ref: string): Promise<void>;
}

export function createProjectsService(deps: {
  db: Database;
  onRemoved?: (projectId: string) => void;
}): ProjectsService {
  const { db } = deps;

  function assertCaller(caller: Caller): void {
    if (!canAccessProjects(caller)) throw new QuarryError('forbidden');
  }

  // Every request resolves its project; on the embedded store that round trip is a large
  // share of a search. Rows are kept briefly and dropped at once on local changes; another
  // server process's rename or delete is seen within the time to live.
  const recent = new Map<string, { row: ProjectRow; until: number }>();
  const forget = (row: ProjectRow) => {
    for (const [key, entry] of recent) if (entry.row.id === row.id) recent.delete(key);
  };

  async function find(ref: string): Promise<ProjectRow | undefined> {
    const cached = recent.get(ref);
    if (cached && cached.until > Date.now()) return cached.row;
    const row = await lookup(ref);
    if (row) recent.set(ref, { row, until: Date.now() + PROJECT_CACHE_MS });
    return row;
  }

  async function lookup(ref: string): Promise<ProjectRow | undefined> {
    const byRef = UUID.test(ref)
      ? or(eq(projects.id, ref), eq(projects.slug, ref))
      : eq(projects.slug, ref.toLowerCase());
    const [row] = await db.select().from(projects).where(byRef);
    return row;
  }

  const service: ProjectsService = {
    async create(caller, input) {
      assertCaller(caller);
      const slug = slugify(input.slug ?? input.name);
      if (await find(slug)) {
        throw new QuarryError('project_exists', `A project named "${slug}" already exists.`);
      }
      const [row] = await db
        .insert(projects)
        .values({ name: input.name.trim(), slug })
        .onConflictDoNothing()
        .returning();
      if (!row)
        throw new QuarryError('project_exists', `A project named "${slug}" already exists.`);
      return row;
    },

    async list(caller) {
      if (!canAccessProjects(caller)) return [];
      return db.select().from(projects).orderBy(asc(projects.createdAt));
    },

    async get(caller, ref) {
      assertCaller(caller);
      const row = await find(ref);
      if (!row) throw new QuarryError('project_not_found', `No project "${ref}" exists.`);
      return row;
    },

    async ensure(caller, ref) {
      assertCaller(caller);
      return (await find(ref)) ?? service.create(caller, { name: ref });
    },

    async rename(caller, ref, name) {
      const project = await service.get(caller, ref);
      const [row] = await db
        .update(projects)
        .set({ name: name.trim(), updatedAt: sql`now()` })
        .where(eq(projects.id, project.id))
        .returning();
      forget(project);
      return row!;
    },

    async remove(caller, ref) {
      const project = await service.get(caller, ref);
      // Files, blobs, documents, chunks, vectors and jobs go with it by cascading keys.
      await db.delete(projects).where(eq(projects.id, project.id));
      forget(project);
      deps.onRemoved?.(project.id);
    },
  };
  return service;
}
