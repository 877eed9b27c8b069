import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROJECT_ROLES } from '@quarry/store';
import { errorResponses, nameText, projectParams } from '../http/schemas.js';
import type { ProjectsService, VisibleProject } from './projects.service.js';

export const projectSchema = z.object({
  id: z.string().uuid(),
  slug: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  role: z
    .enum(PROJECT_ROLES)
    .nullable()
    .describe('Your role in the project; null for the local administrator, who may do all.'),
});

export function toProjectDto(row: VisibleProject): z.infer<typeof projectSchema> {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    role: row.role,
  };
}

const nameSchema = nameText(200);

export function projectsRoutes(projects: ProjectsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/projects',
      {
        schema: {
          tags: ['projects'],
          summary: 'Create a project',
          body: z.object({
            name: nameSchema,
            slug: nameText(64).optional(),
          }),
          response: { 201: projectSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const row = await projects.create(request.caller, request.body);
        return reply.status(201).send(toProjectDto(row));
      },
    );

    app.get(
      '/projects',
      {
        schema: {
          tags: ['projects'],
          summary: 'List the projects you can see',
          response: { 200: z.object({ projects: z.array(projectSchema) }), ...errorResponses },
        },
      },
      async (request) => ({
        projects: (await projects.list(request.caller)).map(toProjectDto),
      }),
    );

    app.get(
      '/projects/:project',
      {
        schema: {
          tags: ['projects'],
          summary: 'Get a project',
          params: projectParams,
          response: { 200: projectSchema, ...errorResponses },
        },
      },
      async (request) => toProjectDto(await projects.get(request.caller, request.params.project)),
    );

    app.patch(
      '/projects/:project',
      {
        schema: {
          tags: ['projects'],
          summary: 'Rename a project',
          params: projectParams,
          body: z.object({ name: nameSchema }),
          response: { 200: projectSchema, ...errorResponses },
        },
      },
      async (request) =>
        toProjectDto(
          await projects.rename(request.caller, request.params.project, request.body.name),
        ),
    );

    app.delete(
      '/projects/:project',
      {
        schema: {
          tags: ['projects'],
          summary: 'Delete a project with all its files, documents and indexes',
          params: projectParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await projects.remove(request.caller, request.params.project);
        return reply.status(204).send(null);
      },
    );
  };
}
