import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuthenticatedApiKey } from './authenticated-api-key';

/** The key of an `@Scopes(...)` route (`request.apiKey`). */
export const CurrentApiKey = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AuthenticatedApiKey =>
    context.switchToHttp().getRequest<FastifyRequest>().apiKey!,
);
