import type { FastifyInstance } from 'fastify';

/**
 * From the moment the server starts closing, every answer, the in-flight ones included, says
 * `Connection: close`, so keep-alive clients open a new connection (to another instance) instead of
 * sending on one that is about to go. Requests already on an open connection are still served
 * (Fastify's `return503OnClosing` is off), so each one is answered and, with a key, is a usage row.
 */
export function closeConnectionsWhenClosing(fastify: FastifyInstance): void {
  let closing = false;
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });
}
