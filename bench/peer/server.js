'use strict';
// The `peer` scenario of `npm run bench`: what a user might pick instead for speed, built from
// widely used libraries — plain Fastify, @fastify/rate-limit on the same Redis (ioredis, one
// fixed window per key: its Lua script, one round trip), and a bearer-key check against an
// in-memory map. No usage rows, no database. Its /whoami answers the same fields as the service's.
const Fastify = require('fastify');
const Redis = require('ioredis');

const port = Number(process.env.PORT);
const redisUrl = process.env.REDIS_URL;
const keyPrefix = process.env.REDIS_KEY_PREFIX;
/** The one key the bench uses, and the /whoami body it answers with. */
const apiKey = process.env.PEER_API_KEY;
const whoami = JSON.parse(process.env.PEER_WHOAMI);
const keys = new Map([[apiKey, whoami]]);
// Limits no run reaches, as for the service's enterprise key.
const PER_MINUTE = 1e9;

const bearer = (request) => {
  const header = request.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice(7) : '';
};

async function main() {
  const redis = new Redis(redisUrl, { enableAutoPipelining: true, maxRetriesPerRequest: 1 });
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request, reply) => {
    const found = keys.get(bearer(request));
    if (found === undefined) return reply.code(401).send({ error: 'Invalid API key' });
    request.whoami = found;
  });
  await app.register(require('@fastify/rate-limit'), {
    max: PER_MINUTE,
    timeWindow: 60_000,
    redis,
    nameSpace: keyPrefix,
    keyGenerator: (request) => bearer(request),
  });
  app.get('/whoami', async (request) => request.whoami);
  app.addHook('onClose', () => redis.quit());
  await app.listen({ port, host: '127.0.0.1' });
  const stop = () => app.close().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`peer: ${error.stack}\n`);
  process.exit(1);
});
