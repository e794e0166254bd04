import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { dashboardDist } from './dashboard-dist.js';

/**
 * The page may talk to this origin only: no inline script, no third-party anything, and
 * no framing (the admin key is typed into it). Chart.js styles its canvas through the
 * DOM, which style-src does not restrict.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function securityHeaders(reply: FastifyReply): void {
  reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY');
}

/**
 * `GET /dashboard` (and `/dashboard/`): the admin cost dashboard, static files built by
 * `@aigw/dashboard`, whose asset URLs are absolute (`/dashboard/assets/…`), so the page is
 * the same at either address. It holds no data of its own: it reads the admin API with the
 * key the admin types in.
 */
export async function serveDashboard(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  const root = dashboardDist();
  if (!root) {
    // Still answer, and say how to fix it, rather than a bare 404.
    fastify.get('/dashboard', (_request, reply) => notBuilt(reply));
    fastify.get('/dashboard/*', (_request, reply) => notBuilt(reply));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: '/dashboard/',
    decorateReply: false,
    index: 'index.html',
    cacheControl: false,
    setHeaders: (reply, path) => {
      securityHeaders(reply);
      // Vite names assets by content hash: cache them for good; the page itself never.
      reply.header(
        'cache-control',
        /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  const page = join(root, 'index.html');
  fastify.get('/dashboard', async (_request, reply) => {
    securityHeaders(reply);
    return reply
      .header('cache-control', 'no-cache')
      .type('text/html; charset=utf-8')
      .send(await readFile(page));
  });
}

/** The 503 that says the dashboard is not built, and how to build it. */
function notBuilt(reply: FastifyReply): void {
  securityHeaders(reply);
  reply
    .status(503)
    .type('text/plain; charset=utf-8')
    .send('The dashboard has not been built: run `pnpm build` (or `pnpm start`, which builds it).\n');
}
