import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@quarry/store';
import { errorBodySchema } from '../http/schemas.js';

export function healthRoutes(deps: {
  db: Database;
  isStarted: () => boolean;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/healthz',
      {
        schema: {
          tags: ['health'],
          summary: 'The process is alive',
          response: { 200: z.object({ status: z.literal('ok') }) },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'The database answers and start-up has finished',
          response: {
            200: z.object({ status: z.literal('ready') }),
            503: errorBodySchema,
          },
        },
      },
      async (request, reply) => {
        let databaseOk = false;
        try {
          await deps.db.execute(sql`SELECT 1`);
          databaseOk = true;
        } catch (error) {
          request.log.error({ err: error }, 'readiness check: database unreachable');
        }
        if (!databaseOk || !deps.isStarted()) {
          return reply.status(503).send({
            error: {
              code: 'not_ready',
              message: databaseOk ? 'Quarry is still starting.' : 'The database does not answer.',
              requestId: String(request.id),
            },
          });
        }
        return { status: 'ready' as const };
      },
    );
  };
}
