import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ResponseObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { documentCommonErrors } from './openapi-errors';

/** Security scheme names used by `@Authenticated()` (dashboard JWT) and `@Scopes()` (API key). */
export const JWT_SECURITY = 'jwt';
export const API_KEY_SECURITY = 'api-key';

/** Swagger UI at /docs, the OpenAPI 3 document at /docs-json. */
export function setUpSwagger(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('TuneTrail API')
      .setDescription(
        'Music catalogue and recommendations behind scoped API keys. Dashboard routes take a JWT from ' +
          '`POST /auth/login`; catalogue routes take an API key (`Authorization: Bearer tt_...`).',
      )
      .setVersion('1.0')
      .addBearerAuth(
        { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Dashboard access token from /auth/login' },
        JWT_SECURITY,
      )
      .addBearerAuth(
        {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'tt_ API key',
          description: 'An API key created with POST /api-keys',
        },
        API_KEY_SECURITY,
      )
      .build(),
  );
  documentCommonErrors(document);
  // After the common errors: a 400 (validation) or 503 can come past the limiter, with its headers.
  documentRateLimitHeaders(document);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    yamlDocumentUrl: 'docs-yaml',
    // The JWT and API key typed into "Authorize" survive a reload of the page (kept in its localStorage).
    swaggerOptions: { persistAuthorization: true },
  });
}

/** Answered before the rate-limit step (the key check, the HTTP parser, the body parser): no limit headers. */
export const ANSWERED_BEFORE_LIMITER = new Set(['401', '413', '414', '415', '431']);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Every answer of an API-key route that reached the rate-limit step (2xx, 4xx, 429) carries the limit
 * headers; `@Scopes()` documents them on the 429, so they are copied from there to the route's other
 * responses, except those answered before the limiter.
 */
function documentRateLimitHeaders(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation: OperationObject | undefined = path[method];
      const tooMany = operation?.responses['429'] as ResponseObject | undefined;
      if (!operation?.security?.some((requirement) => API_KEY_SECURITY in requirement) || !tooMany?.headers) continue;
      const limitHeaders = Object.fromEntries(
        Object.entries(tooMany.headers).filter(([name]) => name !== 'Retry-After'),
      );
      for (const [status, response] of Object.entries(operation.responses)) {
        if (ANSWERED_BEFORE_LIMITER.has(status) || status === '429' || !response || '$ref' in response) continue;
        response.headers = { ...limitHeaders, ...response.headers };
      }
    }
  }
}
