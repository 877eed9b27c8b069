import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { LOCAL_ADMIN_USER_ID, resultRows, type Database } from '@quarry/store';
import { requireAdmin } from '../access/access.js';
import { errorResponses } from '../http/schemas.js';

const systemSchema = z.object({
  status: z.enum(['ready', 'starting']),
  version: z.string(),
  store: z.enum(['embedded', 'postgres']),
  broker: z.boolean().describe('Whether jobs travel through a message broker'),
  uptimeSeconds: z.number().int(),
  memoryRssBytes: z.number().int(),
  counts: z.object({
    users: z.number().int(),
    projects: z.number().int(),
    files: z.number().int(),
    chunks: z.number().int(),
    pendingJobs: z.number().int(),
    failedJobs: z.number().int(),
  }),
});

/** How the instance is doing, for administrators: one query over the whole instance. */
export function systemRoutes(deps: {
  db: Database;
  version: string;
  storeKind: 'embedded' | 'postgres';
  broker: boolean;
  isStarted: () => boolean;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/admin/system',
      {
        schema: {
          tags: ['administration'],
          summary: 'Instance health and size (administrators)',
          response: { 200: systemSchema, ...errorResponses },
        },
      },
      async (request) => {
        requireAdmin(request.caller);
        const [counts] = resultRows<z.infer<typeof systemSchema>['counts']>(
          await deps.db.execute(sql`select
            (select count(*)::int from users where id <> ${LOCAL_ADMIN_USER_ID}) as "users",
            (select count(*)::int from projects) as "projects",
            (select count(*)::int from files) as "files",
            (select count(*)::int from chunks) as "chunks",
            (select count(*)::int from jobs where state in ('queued', 'running')) as "pendingJobs",
            (select count(*)::int from jobs where state = 'failed') as "failedJobs"`),
        );
        return {
          status: deps.isStarted() ? ('ready' as const) : ('starting' as const),
          version: deps.version,
          store: deps.storeKind,
          broker: deps.broker,
          uptimeSeconds: Math.round(process.uptime()),
          memoryRssBytes: process.memoryUsage.rss(),
          counts: counts!,
        };
      },
    );
  };
}
