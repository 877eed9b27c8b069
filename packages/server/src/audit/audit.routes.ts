import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditEvents, type AuditEventRow, type Database } from '@quarry/store';
import { memberOf, requireAdmin } from '../access/access.js';
import { errorResponses, projectParams } from '../http/schemas.js';
import type { ProjectsService } from '../projects/projects.service.js';
import { readAudit, type AuditPage } from './audit.service.js';

const eventSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.object({ id: z.string().nullable(), email: z.string().nullable() }),
  action: z.string(),
  projectId: z.string().nullable(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
});

const pageSchema = z.object({ events: z.array(eventSchema), nextBefore: z.number().nullable() });
const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});

const toEventJson = (row: AuditEventRow): z.infer<typeof eventSchema> => ({
  id: row.id,
  at: row.at.toISOString(),
  actor: { id: row.actorId, email: row.actorEmail },
  action: row.action,
  projectId: row.projectId,
  target: row.targetType && row.targetId ? { type: row.targetType, id: row.targetId } : null,
  details: row.details,
});

const toPageJson = (page: AuditPage) => ({
  events: page.events.map(toEventJson),
  nextBefore: page.nextBefore,
});

export function auditRoutes(deps: {
  db: Database;
  projects: ProjectsService;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/projects/:project/audit',
      {
        schema: {
          tags: ['audit'],
          summary: "Who did what in this project, newest first (the project's owner)",
          params: projectParams,
          querystring: pageQuery,
          response: { 200: pageSchema, ...errorResponses },
        },
      },
      async (request) => {
        const project = await deps.projects.get(request.caller, request.params.project, 'audit');
        const visible = memberOf(request.caller, auditEvents.projectId, 'audit');
        return toPageJson(
          await readAudit(deps.db, { projectId: project.id, visible, ...request.query }),
        );
      },
    );

    app.get(
      '/admin/audit',
      {
        schema: {
          tags: ['administration'],
          summary: 'Every audit event, newest first (administrators)',
          querystring: pageQuery,
          response: { 200: pageSchema, ...errorResponses },
        },
      },
      async (request) => {
        requireAdmin(request.caller);
        return toPageJson(await readAudit(deps.db, request.query));
      },
    );
  };
}
