import { timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyHelmet from '@fastify/helmet';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { AccountsService } from '../accounts/accounts.service.js';
import type { KeysService } from '../accounts/keys.service.js';
import { ANONYMOUS, LOCAL_ADMIN } from '../caller.js';
import type { Settings } from '../config/settings.js';
import { QuarryError } from '../errors/catalogue.js';
import type { HttpApp } from './app.js';

export const SESSION_COOKIE = 'quarry_session';
export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AuthenticationDeps {
  accounts: AccountsService;
  keys: KeysService;
  settings: Settings;
  /** The secret the local operator's CLI presents (written to the data directory). */
  localToken: string;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Resolves every request's caller from a bearer key, the local token or a session cookie,
 * and puts the security layers around the API: CSRF checks for cookie-authenticated
 * changes, rate limits on API keys, security headers on every response.
 */
export async function installAuthentication(app: HttpApp, deps: AuthenticationDeps) {
  const { settings } = deps;
  await app.register(fastifyCookie);
  await app.register(fastifyCsrf, {
    cookieKey: 'quarry_csrf',
    cookieOpts: {
      path: '/',
      sameSite: 'lax',
      httpOnly: true,
      secure: settings.auth.secureCookies,
    },
  });
  // The web app's scripts, styles and fonts may come from a CDN it was built for.
  const assets = settings.web.assetOrigin ? [settings.web.assetOrigin] : [];
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", ...assets],
        styleSrc: ["'self'", "'unsafe-inline'", ...assets],
        fontSrc: ["'self'", ...assets],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Quarry is often served over plain HTTP on a laptop; upgrading would break it.
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    // Same-origin by default; the web app's assets may come from a CDN.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  const perKey = limiter(settings.rateLimit.apiPerKey, settings.rateLimit.windowMs);

  app.addHook('onRequest', async (request, reply) => {
    request.caller = ANONYMOUS;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (bearer) {
      if (sameSecret(bearer, deps.localToken)) {
        request.caller = LOCAL_ADMIN;
        return;
      }
      const caller = await deps.keys.resolve(bearer);
      if (!caller) {
        throw new QuarryError(
          'unauthenticated',
          'This API key is unknown or revoked. Create a new one under API keys.',
        );
      }
      request.caller = caller;
      await consume(perKey, `key:${caller.keyId}`, reply);
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return;
    const caller = await deps.accounts.resolveSession(token);
    if (!caller) {
      // An expired or revoked session: forget it so the browser stops sending it.
      clearSessionCookie(reply);
      return;
    }
    request.caller = caller;
  });

  // Cookies ride along on cross-site requests; changes made with one need the CSRF token,
  // which only pages of this origin can read.
  app.addHook('preHandler', (request, reply, done) => {
    if (!request.caller.sessionId || SAFE_METHODS.has(request.method)) return done();
    app.csrfProtection(request, reply, done);
  });
}

export function setSessionCookie(
  reply: FastifyReply,
  session: { token: string; expiresAt: Date },
  secure: boolean,
) {
  reply.setCookie(SESSION_COOKIE, session.token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    expires: session.expiresAt,
  });
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

function limiter(points: number, windowMs: number) {
  return new RateLimiterMemory({ points, duration: Math.max(1, Math.round(windowMs / 1000)) });
}

/** Takes one request from a limit, or fails with `rate_limited` and a Retry-After header. */
async function consume(limit: RateLimiterMemory, key: string, reply: FastifyReply) {
  try {
    await limit.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    reply.header('retry-after', String(seconds));
    throw new QuarryError('rate_limited', `Too many requests: try again in ${seconds} seconds.`);
  }
}

/**
 * A pre-handler limiting log-in, sign-up and reset requests per client address and per
 * e-mail address, so neither one address nor one target account can be hammered.
 */
export function authRateLimit(settings: Settings) {
  const { windowMs, authPerIp, authPerAccount } = settings.rateLimit;
  const perIp = limiter(authPerIp, windowMs);
  const perAccount = limiter(authPerAccount, windowMs);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    await consume(perIp, request.ip, reply);
    const email = emailOf(request);
    if (email) await consume(perAccount, email, reply);
  };
}

function emailOf(request: FastifyRequest): string {
  const body = request.body as { email?: unknown } | undefined;
  return typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
}
