import { Injectable } from '@nestjs/common';
import { AuthGuard, IAuthModuleOptions } from '@nestjs/passport';
import { API_KEY_STRATEGY } from './api-key.strategy';
import type { AuthenticatedApiKey } from './authenticated-api-key';
import { invalidApiKey } from './api-key-authenticator';

const OPTIONS: IAuthModuleOptions = { property: 'apiKey', session: false };

/** A usable API key from an allowed address, attached as `request.apiKey`; else the contract's 401/403. */
@Injectable()
export class ApiKeyAuthGuard extends AuthGuard(API_KEY_STRATEGY) {
  override getAuthenticateOptions(): IAuthModuleOptions {
    return OPTIONS;
  }

  override handleRequest<TKey = AuthenticatedApiKey>(error: unknown, apiKey: TKey | false): TKey {
    if (error) throw error;
    if (!apiKey) throw invalidApiKey('missing');
    return apiKey;
  }
}
