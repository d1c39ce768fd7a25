import type { FastifyInstance } from 'fastify';

/**
 * How long keep-alive connections that are idle when shutdown starts stay open. Node's
 * `server.close()` destroys them at once, so a client that sends its next request in that instant
 * sees a reset; during this grace such a request is served with `Connection: close` instead.
 */
export const IDLE_CONNECTION_GRACE_MS = 2000;

/**
 * From the moment the server starts closing (new connections are refused at once), every answer,
 * the in-flight ones included, says `Connection: close`, so keep-alive clients open a new
 * connection (to another instance) instead of reusing this one. Requests already on an open
 * connection are still served (Fastify's `return503OnClosing` is off), so each is answered and,
 * with a key, is a usage row.
 */
export function closeConnectionsWhenClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    const server = fastify.server;
    const closeIdle = server.closeIdleConnections.bind(server);
    server.closeIdleConnections = () => undefined;
    setTimeout(closeIdle, IDLE_CONNECTION_GRACE_MS).unref();
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
