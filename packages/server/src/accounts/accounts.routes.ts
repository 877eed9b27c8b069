import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { API_KEY_SCOPES } from '@quarry/store';
import type { Settings } from '../config/settings.js';
import { authRateLimit, clearSessionCookie, setSessionCookie } from '../http/authenticate.js';
import { errorResponses } from '../http/schemas.js';
import type { AccountsService, UserDto } from './accounts.service.js';
import type { ApiKeyDto, KeysService } from './keys.service.js';

const email = z.string().trim().email().max(320);
const password = z.string().min(1).max(1_024);
const name = z.string().trim().max(200);

export const userSchema = z.object({
  id: z.string().uuid(),
  email: z.string(),
  name: z.string(),
  isAdmin: z.boolean(),
  disabled: z.boolean(),
  createdAt: z.string(),
});

export const toUserJson = (user: UserDto): z.infer<typeof userSchema> => ({
  ...user,
  createdAt: user.createdAt.toISOString(),
});

const keySchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  prefix: z.string().describe('The first characters of the secret, to tell keys apart.'),
  scopes: z.array(z.enum(API_KEY_SCOPES)),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

const toKeyJson = (key: ApiKeyDto): z.infer<typeof keySchema> => ({
  ...key,
  createdAt: key.createdAt.toISOString(),
  lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  revokedAt: key.revokedAt?.toISOString() ?? null,
});

const userResponse = z.object({ user: userSchema });

export function accountsRoutes(deps: {
  accounts: AccountsService;
  keys: KeysService;
  settings: Settings;
}): FastifyPluginAsyncZod {
  const { accounts, keys, settings } = deps;
  const secure = settings.auth.secureCookies;
  return async (app) => {
    const limited = { preHandler: authRateLimit(settings) };

    app.post(
      '/auth/signup',
      {
        ...limited,
        schema: {
          tags: ['accounts'],
          summary: 'Create an account and sign in (the first account is an administrator)',
          body: z.object({ email, password, name: name.optional() }),
          response: { 201: userResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const session = await accounts.signup(request.body);
        setSessionCookie(reply, session, secure);
        return reply.status(201).send({ user: toUserJson(session.user) });
      },
    );

    app.post(
      '/auth/login',
      {
        ...limited,
        schema: {
          tags: ['accounts'],
          summary: 'Sign in; sets an httpOnly session cookie',
          body: z.object({ email, password }),
          response: { 200: userResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const session = await accounts.login(request.body);
        setSessionCookie(reply, session, secure);
        return { user: toUserJson(session.user) };
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Sign out of this browser',
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await accounts.logout(request.caller);
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/csrf',
      {
        schema: {
          tags: ['accounts'],
          summary: 'A token to send as x-csrf-token with changes made under a session cookie',
          response: { 200: z.object({ token: z.string() }), ...errorResponses },
        },
      },
      async (_request, reply) => ({ token: reply.generateCsrf() }),
    );

    app.get(
      '/auth/me',
      {
        schema: {
          tags: ['accounts'],
          summary: 'The signed-in account',
          response: { 200: userResponse, ...errorResponses },
        },
      },
      async (request) => ({ user: toUserJson(await accounts.me(request.caller)) }),
    );

    app.patch(
      '/auth/me',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Change your profile',
          body: z.object({ name }),
          response: { 200: userResponse, ...errorResponses },
        },
      },
      async (request) => ({
        user: toUserJson(await accounts.updateProfile(request.caller, request.body)),
      }),
    );

    app.delete(
      '/auth/me',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Delete your account (projects you own alone go with it)',
          body: z.object({ password }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await accounts.deleteOwnAccount(request.caller, request.body.password);
        clearSessionCookie(reply);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/password',
      {
        schema: {
          tags: ['accounts'],
          summary: 'Change your password; other browsers are signed out',
          body: z.object({ currentPassword: password, newPassword: password }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await accounts.changePassword(request.caller, request.body);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/password-reset',
      {
        ...limited,
        schema: {
          tags: ['accounts'],
          summary: 'E-mail a password-reset link (the answer is the same for unknown addresses)',
          body: z.object({ email }),
          response: { 202: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await accounts.requestPasswordReset(request.body.email);
        return reply.status(202).send(null);
      },
    );

    app.post(
      '/auth/password-reset/confirm',
      {
        ...limited,
        schema: {
          tags: ['accounts'],
          summary: 'Choose a new password with the token from the e-mailed link',
          body: z.object({ token: z.string().min(1).max(200), newPassword: password }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await accounts.confirmPasswordReset(request.body);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/keys',
      {
        schema: {
          tags: ['api keys'],
          summary: 'Your API keys (never their secrets)',
          response: { 200: z.object({ keys: z.array(keySchema) }), ...errorResponses },
        },
      },
      async (request) => ({ keys: (await keys.list(request.caller)).map(toKeyJson) }),
    );

    app.post(
      '/keys',
      {
        schema: {
          tags: ['api keys'],
          summary: 'Create an API key; its secret is shown in this response only',
          body: z.object({
            name: name.min(1),
            scopes: z.array(z.enum(API_KEY_SCOPES)).min(1),
          }),
          response: {
            201: z.object({ key: keySchema, secret: z.string() }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const created = await keys.create(request.caller, request.body);
        return reply.status(201).send({ key: toKeyJson(created.key), secret: created.secret });
      },
    );

    app.delete(
      '/keys/:keyId',
      {
        schema: {
          tags: ['api keys'],
          summary: 'Revoke an API key; it stops working at once',
          params: z.object({ keyId: z.string().uuid() }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await keys.revoke(request.caller, request.params.keyId);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/admin/users',
      {
        schema: {
          tags: ['administration'],
          summary: 'Every account (administrators)',
          response: { 200: z.object({ users: z.array(userSchema) }), ...errorResponses },
        },
      },
      async (request) => ({
        users: (await accounts.listUsers(request.caller)).map(toUserJson),
      }),
    );

    app.post(
      '/admin/users',
      {
        schema: {
          tags: ['administration'],
          summary: 'Create an account (administrators)',
          body: z.object({
            email,
            password,
            name: name.optional(),
            isAdmin: z.boolean().optional(),
          }),
          response: { 201: userResponse, ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = await accounts.createUser(request.caller, request.body);
        return reply.status(201).send({ user: toUserJson(user) });
      },
    );

    app.patch(
      '/admin/users/:userId',
      {
        schema: {
          tags: ['administration'],
          summary: 'Disable, enable, promote or demote an account (administrators)',
          params: z.object({ userId: z.string().uuid() }),
          body: z.object({ disabled: z.boolean().optional(), isAdmin: z.boolean().optional() }),
          response: { 200: userResponse, ...errorResponses },
        },
      },
      async (request) => ({
        user: toUserJson(
          await accounts.updateUser(request.caller, request.params.userId, request.body),
        ),
      }),
    );

    app.delete(
      '/admin/users/:userId',
      {
        schema: {
          tags: ['administration'],
          summary: 'Delete an account (administrators; not your own)',
          params: z.object({ userId: z.string().uuid() }),
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await accounts.deleteUser(request.caller, request.params.userId);
        return reply.status(204).send(null);
      },
    );
  };
}
