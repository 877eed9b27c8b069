import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROJECT_ROLES } from '@quarry/store';
import { errorResponses, projectParams } from '../http/schemas.js';
import { projectSchema, toProjectDto } from '../projects/projects.routes.js';
import type { InvitationDto, MemberDto, MembersService } from './members.service.js';

const grantable = z.enum(['editor', 'viewer']);

const memberSchema = z.object({
  userId: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  role: z.enum(PROJECT_ROLES),
  since: z.string(),
});

const invitationSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  role: z.enum(PROJECT_ROLES),
  createdAt: z.string(),
  expiresAt: z.string(),
});

const toMemberJson = (m: MemberDto) => ({ ...m, since: m.since.toISOString() });
const toInvitationJson = (i: InvitationDto) => ({
  ...i,
  createdAt: i.createdAt.toISOString(),
  expiresAt: i.expiresAt.toISOString(),
});

const memberParams = projectParams.extend({ userId: z.string().uuid() });

export function membersRoutes(members: MembersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/projects/:project/members',
      {
        schema: {
          tags: ['members'],
          summary: 'Members of a project, and pending invitations (owners)',
          params: projectParams,
          response: {
            200: z.object({
              members: z.array(memberSchema),
              invitations: z.array(invitationSchema),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const list = await members.list(request.caller, request.params.project);
        return {
          members: list.members.map(toMemberJson),
          invitations: list.invitations.map(toInvitationJson),
        };
      },
    );

    app.post(
      '/projects/:project/members',
      {
        schema: {
          tags: ['members'],
          summary: 'Invite by e-mail: an existing account joins at once, others are e-mailed',
          params: projectParams,
          body: z.object({ email: z.string().trim().email().max(320), role: grantable }),
          response: {
            201: z.object({ member: memberSchema }),
            202: z.object({ invitation: invitationSchema }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const result = await members.invite(request.caller, request.params.project, request.body);
        return 'member' in result
          ? reply.status(201).send({ member: toMemberJson(result.member) })
          : reply.status(202).send({ invitation: toInvitationJson(result.invitation) });
      },
    );

    app.patch(
      '/projects/:project/members/:userId',
      {
        schema: {
          tags: ['members'],
          summary: "Change a member's role",
          params: memberParams,
          body: z.object({ role: grantable }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { project, userId } = request.params;
        await members.changeRole(request.caller, project, userId, request.body.role);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/projects/:project/members/:userId',
      {
        schema: {
          tags: ['members'],
          summary: 'Remove a member; access ends at once',
          params: memberParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await members.remove(request.caller, request.params.project, request.params.userId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/projects/:project/leave',
      {
        schema: {
          tags: ['members'],
          summary: 'Leave a project (its owner must transfer ownership first)',
          params: projectParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await members.leave(request.caller, request.params.project);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/projects/:project/transfer',
      {
        schema: {
          tags: ['members'],
          summary: 'Make another member the owner; you stay on as an editor',
          params: projectParams,
          body: z.object({ userId: z.string().uuid() }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await members.transfer(request.caller, request.params.project, request.body.userId);
        return reply.status(204).send(null);
      },
    );

    app.delete(
      '/projects/:project/invitations/:invitationId',
      {
        schema: {
          tags: ['members'],
          summary: 'Withdraw a pending invitation',
          params: projectParams.extend({ invitationId: z.string().uuid() }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { project, invitationId } = request.params;
        await members.revokeInvitation(request.caller, project, invitationId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/invitations/accept',
      {
        schema: {
          tags: ['members'],
          summary: 'Accept an invitation sent to your address, with the token from its link',
          body: z.object({ token: z.string().min(1).max(200) }),
          response: { 200: z.object({ project: projectSchema }), ...errorResponses },
        },
      },
      async (request) => ({
        project: toProjectDto(await members.accept(request.caller, request.body.token)),
      }),
    );
  };
}
