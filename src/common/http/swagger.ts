import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

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
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
