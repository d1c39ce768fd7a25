import { Resource } from '../resource.js';
import type { AccessToken, LoginParams, Plan, RegisterParams, RegisterResult, User } from '../types.js';

/** What the auth resource needs from its client: somewhere to keep the access token. */
export interface TokenHolder {
  setAccessToken(token: string | null): void;
}

export class AuthResource extends Resource {
  constructor(
    client: ConstructorParameters<typeof Resource>[0],
    private readonly tokens: TokenHolder,
  ) {
    super(client);
  }

  /** `POST /auth/register`: creates the account (free plan) and keeps its access token on the client. */
  async register(params: RegisterParams): Promise<RegisterResult> {
    const result = await this.client.post<RegisterResult>('/auth/register', params);
    this.tokens.setAccessToken(result.access_token);
    return result;
  }

  /** `POST /auth/login`: keeps the access token on the client. */
  async login(params: LoginParams): Promise<AccessToken> {
    const result = await this.client.post<AccessToken>('/auth/login', params);
    this.tokens.setAccessToken(result.access_token);
    return result;
  }

  /** `GET /auth/me`: the logged-in account. */
  me(): Promise<User> {
    return this.client.get('/auth/me');
  }
}

export class PlansResource extends Resource {
  /** `GET /plans` (public): every plan with its limits and scopes. */
  list(): Promise<Plan[]> {
    return this.client.get('/plans');
  }
}
