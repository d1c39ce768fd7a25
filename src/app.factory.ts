import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { createValidationPipe } from './common/pipes/validation.pipe';
import { setUpSwagger } from './common/http/swagger';
import { hardenedServerOptions, hardenRequests } from './common/http/request-hardening';
import { closeConnectionsWhenClosing } from './common/http/graceful-shutdown';
import { PinoLogger } from './common/logging/pino-logger';
import { registerSecurityHeaders } from './common/http/security-headers';

const REQUEST_ID = /^[\w.:-]{1,128}$/;
const DASHBOARD_PREFIX = '/dashboard';

function createAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    ...hardenedServerOptions,
    // Requests on open connections during shutdown are served (with Connection: close), not refused.
    return503OnClosing: false,
    trustProxy: config.trustProxy === false ? false : config.trustProxy,
    // JSON request logs with a request id; credentials never reach a log line.
    logger: {
      level: config.logLevel,
      redact: {
        paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        censor: '[REDACTED]',
      },
    },
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
}

/** Builds the fully configured application (used by main.ts and by the e2e tests alike). */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = createAdapter(config);
  const logger = new PinoLogger(adapter.getInstance().log);
  if (config.developmentSecretsNotice) logger.warn(config.developmentSecretsNotice, 'Config');
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger,
    abortOnError: false,
    // Bodies are parsed by hardenRequests' JSON parser only (limits checked before validation).
    bodyParser: false,
  });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  const fastify = app.getHttpAdapter().getInstance();
  hardenRequests(fastify);
  closeConnectionsWhenClosing(fastify);
  await registerSecurityHeaders(app, config);
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    // Every API answer is one account's data (tokens and keys among them): no cache keeps it. The
    // dashboard's static files have their own caching rules (src/dashboard).
    if (!request.url.startsWith(DASHBOARD_PREFIX)) reply.header('cache-control', 'no-store');
    done();
  });
  setUpSwagger(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
