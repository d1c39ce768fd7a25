import { applyDecorators, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtension,
  ApiForbiddenResponse,
  ApiOperation,
  ApiUnauthorizedResponse,
  DECORATORS,
  SchemaObject,
} from '@nestjs/swagger';
import { API_KEY_SECURITY } from '../common/http/swagger';
import { ApiRateLimitResponses } from '../rate-limit/api-rate-limit-responses.decorator';
import type { Scope } from '../plans/scopes';
import { ApiKeyRateLimitGuard } from '../rate-limit/api-key-rate-limit.guard';
import { ApiKeyGuard } from './api-key.guard';
import { RequiredScopes } from './required-scopes';
import { ScopesGuard } from './scopes.guard';

const invalidKeySchema: SchemaObject = {
  type: 'object',
  properties: {
    error: { type: 'string', example: 'Invalid API key' },
    reason: { type: 'string', enum: ['missing', 'malformed', 'unknown', 'expired', 'revoked', 'inactive'] },
  },
};

const forbiddenSchema = (scopes: readonly Scope[]): SchemaObject => ({
  oneOf: [
    {
      type: 'object',
      properties: {
        error: { type: 'string', example: 'Insufficient permissions' },
        required_scopes: { type: 'array', items: { type: 'string' }, example: [...scopes] },
        reason: { type: 'string', enum: ['missing_scope', 'plan'] },
      },
    },
    { type: 'object', properties: { error: { type: 'string', example: 'IP address not allowed' } } },
  ],
});

/**
 * Adds the scope sentence to the route's OpenAPI description, keeping a summary (and description)
 * set by the route's own `@ApiOperation`, whichever decorator runs first.
 */
function ApiScopesDescription(needs: string): MethodDecorator {
  return (target, key, descriptor) => {
    const existing = Reflect.getMetadata(DECORATORS.API_OPERATION, descriptor.value as object) as
      { description?: string } | undefined;
    const description = existing?.description ? `${existing.description}\n\n${needs}` : needs;
    return ApiOperation({ ...existing, description })(target, key, descriptor);
  };
}

/**
 * An API-key route and the scopes it needs (none: any valid key). One declaration drives the
 * guards (key, rate limits, scopes), the OpenAPI security requirement and the route's description.
 */
export function Scopes(...scopes: Scope[]): MethodDecorator {
  const needs = scopes.length === 0 ? 'Requires a valid API key (no scope)' : `Requires scope ${scopes.join(', ')}`;
  return applyDecorators(
    RequiredScopes(scopes),
    UseGuards(ApiKeyGuard, ApiKeyRateLimitGuard, ScopesGuard),
    ApiBearerAuth(API_KEY_SECURITY),
    ApiScopesDescription(needs),
    ApiExtension('x-required-scopes', scopes),
    ApiUnauthorizedResponse({
      description: 'Missing, malformed, unknown, revoked, suspended or expired API key',
      schema: invalidKeySchema,
    }),
    ApiForbiddenResponse({
      description: 'The key or its plan lacks a required scope, or the client IP is not allowed',
      schema: forbiddenSchema(scopes),
    }),
    ApiRateLimitResponses(),
  );
}
