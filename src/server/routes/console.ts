// The console's pages and assets at / (the API stays under /v1): every page path answers the same
// index.html (the console routes in the browser), assets are fingerprinted and cached for a year.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { loadConsoleFiles, pickEncoding, type ConsoleFile } from '../console-assets.js';
import { ApiError, problem, problemDocument } from '../problems.js';
import type { TypedApp } from './types.js';

/** The console's own paths (src/console/router.ts); everything else is the API's. */
export const CONSOLE_PAGES = ['/', '/tokens', '/tokens/:id', '/audit', '/scopes'];

/**
 * What a browser may do with a console page: its own scripts and styles only (none inline, no eval),
 * no framing, no plugins, no form posts elsewhere, and Trusted Types so no string becomes markup.
 */
const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types',
].join('; ');

const hide = { hide: true };

export function registerConsoleRoutes(app: TypedApp, _ctx: AppContext): void {
  let files: Promise<Map<string, ConsoleFile> | null> | undefined;

  async function serve(req: FastifyRequest, reply: FastifyReply, path: string) {
    const all = await (files ??= loadConsoleFiles());
    const file = all?.get(path);
    if (!file) {
      const err = all ? problem('not_found', 'not_found', `no console file ${path}`) : new ApiError(503, 'console_not_built', 'the console is not built: run `npm run build`');
      return reply.code(err.status).type('application/problem+json').send(problemDocument(err, req.id));
    }
    reply
      .header('content-security-policy', CONSOLE_CSP)
      .header('cross-origin-opener-policy', 'same-origin')
      .header('cross-origin-resource-policy', 'same-origin')
      .header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()')
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('etag', file.etag)
      .header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === file.etag) return reply.code(304).send();
    const encoding = pickEncoding(req.headers['accept-encoding'], file.bodies);
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    return reply.type(file.type).send(file.bodies[encoding]);
  }

  for (const page of CONSOLE_PAGES) app.get(page, { schema: hide }, (req, reply) => serve(req, reply, '/index.html'));
  app.get('/assets/:file', { schema: hide }, (req, reply) => serve(req, reply, `/assets/${(req.params as { file: string }).file}`));
}
