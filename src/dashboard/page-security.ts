import type { FastifyInstance } from 'fastify';

/**
 * Security headers of the browser pages (the dashboard and Swagger UI): scripts, styles and data only
 * from this origin, never framed, no referrer leaving the page. Set on `onSend` so they are the last
 * word on these pages whatever global headers the API sets.
 */
const BASE_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** The dashboard's own bundle has no inline style or script. */
export const DASHBOARD_CSP = [...BASE_POLICY, "style-src 'self'"].join('; ');
/** Swagger UI's page carries inline `<style>` blocks and React style attributes; scripts stay same-origin. */
export const DOCS_CSP = [...BASE_POLICY, "style-src 'self' 'unsafe-inline'"].join('; ');

const PAGE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const isUnder = (path: string, base: string): boolean => path === base || path.startsWith(`${base}/`);

/** The CSP for a request path, or none for API routes. */
export function pagePolicyFor(url: string): string | undefined {
  const path = url.split('?', 1)[0];
  if (isUnder(path, '/dashboard')) return DASHBOARD_CSP;
  if (isUnder(path, '/docs')) return DOCS_CSP;
  return undefined;
}

/** Adds the page headers to every response under /dashboard and /docs. */
export function addPageSecurityHeaders(fastify: FastifyInstance): void {
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const policy = pagePolicyFor(request.url);
    if (policy !== undefined) reply.headers({ ...PAGE_HEADERS, 'content-security-policy': policy });
    done(null, payload);
  });
}
