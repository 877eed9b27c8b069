import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errorResponses, projectParams } from '../http/schemas.js';
import { searchRequestSchema, searchResponseSchema } from './search.schemas.js';
import type { SearchService } from './search.service.js';

export function searchRoutes(search: SearchService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/projects/:project/search',
      {
        schema: {
          tags: ['search'],
          summary: 'Search a project by words and meaning; results grouped by document',
          params: projectParams,
          body: searchRequestSchema,
          response: { 200: searchResponseSchema, ...errorResponses },
        },
      },
      async (request) => search.search(request.caller, request.params.project, request.body),
    );
  };
}
