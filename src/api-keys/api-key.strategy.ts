import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-custom';
import { ApiKeyAuthenticator } from './api-key-authenticator';
import type { AuthenticatedApiKey } from './authenticated-api-key';

export const API_KEY_STRATEGY = 'api-key';

/** The passport-custom strategy of `Authorization: Bearer tt_...` (run by ApiKeyGuard); the checks live in {@link ApiKeyAuthenticator}. */
@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly authenticator: ApiKeyAuthenticator) {
    super();
  }

  validate(request: FastifyRequest): Promise<AuthenticatedApiKey> {
    return this.authenticator.authenticate(request);
  }
}
