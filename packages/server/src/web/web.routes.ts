import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { QuarryError } from '../errors/catalogue.js';

/** Built assets carry a content hash in their name, so a browser may keep them for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The HTML shell names the current assets: browsers must check it on every visit. */
const REVALIDATE = 'no-cache';

/** Paths that belong to the server itself, never to the web app's client-side routes. */
const SERVER_PATHS = /^\/(api|docs|openapi\.json|healthz|readyz)(\/|$)/;

/** Paths of files rather than of the app's pages: under /assets/, or with an extension. */
const FILE_PATH = /^\/assets\/|\.[a-z0-9]+$/i;

/** Whether `dir` holds a built web app. */
export function isWebBuild(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

/**
 * Serves the built web app from `dir`: hashed assets with long-lived immutable caching,
 * precompressed (brotli, gzip) variants when the browser accepts them, and the HTML shell,
 * never cached, for every client-side route.
 */
export function webRoutes(dir: string): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyStatic, {
      root: dir,
      prefix: '/',
      // One route per built file, found at start-up; the shell route below takes the rest.
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders(reply, path) {
        const hashed = relative(dir, path).split(sep)[0] === 'assets';
        reply.header('cache-control', hashed ? IMMUTABLE : REVALIDATE);
      },
    });

    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = request.url.split('?')[0] ?? '/';
      // A file that is not there (an asset of an older build, a favicon) is not a page.
      if (SERVER_PATHS.test(path) || FILE_PATH.test(path)) throw new QuarryError('route_not_found');
      return reply.header('cache-control', REVALIDATE).sendFile('index.html');
    });
  };
}
