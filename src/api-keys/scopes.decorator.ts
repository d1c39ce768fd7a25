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
import { ApiKeyRouteGuard } from './api-key-route.guard';
import { RequiredScopes } from './required-scopes';

const invalidKeySchema: SchemaObject = {
  type: 'object',
  required: ['error', 'reason'],
  properties: {
    error: { type: 'string', enum: ['Invalid API key'] },
    reason: { type: 'string', enum: ['missing', 'malformed', 'unknown', 'expired', 'revoked', 'inactive'] },
    hint: { type: 'string', description: 'Only when a dashboard JWT was sent: this route takes a tt_ key' },
  },
};

/** One schema for both 403s (a `oneOf` of the two would match every body twice). */
const forbiddenSchema = (scopes: readonly Scope[]): SchemaObject => ({
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'string', enum: ['Insufficient permissions', 'IP address not allowed'] },
    required_scopes: {
      type: 'array',
      items: { type: 'string' },
      example: [...scopes],
      description: 'Only with Insufficient permissions',
    },
    reason: { type: 'string', enum: ['missing_scope', 'plan'], description: 'Only with Insufficient permissions' },
  },
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
    UseGuards(ApiKeyRouteGuard),
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
