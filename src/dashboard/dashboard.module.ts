import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { addPageSecurityHeaders } from './page-security';

/** Vite puts content-hashed names under assets/: a changed file gets a new name, so they cache for a year. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';
/** index.html names the current assets: revalidate it on every load so a deploy shows at once. */
const INDEX_CACHE = 'no-cache';

/** The repository root (the folder of package.json), the same from src/ under ts-jest and from dist/src/. */
function packageRoot(from: string): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return from;
    dir = parent;
  }
  return dir;
}

/** Where `npm run build:dashboard` (run by `npm run build` and `npm start`) writes the single-page app. */
export const DASHBOARD_DIST = join(packageRoot(__dirname), 'dashboard', 'dist');

async function serveDashboard(fastify: FastifyInstance, root: string): Promise<void> {
  await fastify.register(fastifyStatic, {
    root,
    prefix: '/dashboard/',
    // Routes for the files present at start-up; every other path below /dashboard is the app's own.
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('cache-control', path.endsWith('.html') ? INDEX_CACHE : ASSET_CACHE);
    },
  });
  const sendIndex = (reply: FastifyReply) => reply.header('cache-control', INDEX_CACHE).sendFile('index.html', root);
  fastify.get('/dashboard', (_request, reply) => sendIndex(reply));
  // Client-side routes (deep links, reloads) get the app; a missing hashed asset stays a 404.
  fastify.get('/dashboard/*', (request, reply) => {
    if (request.url.startsWith('/dashboard/assets/')) return reply.callNotFound();
    return sendIndex(reply);
  });
}

/** Serves the dashboard at /dashboard and sets the page security headers of /dashboard and /docs. */
@Module({})
export class DashboardModule implements OnModuleInit {
  private readonly logger = new Logger(DashboardModule.name);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    addPageSecurityHeaders(fastify);
    if (!existsSync(join(DASHBOARD_DIST, 'index.html'))) {
      this.logger.warn(`No dashboard build in ${DASHBOARD_DIST}: run "npm run build" to serve /dashboard`);
      return;
    }
    void fastify.register((instance) => serveDashboard(instance, DASHBOARD_DIST));
  }
}
