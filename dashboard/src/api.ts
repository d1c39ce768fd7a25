/**
 * Stand-in for the Node SDK's management client (`TuneTrailManagement` of tunetrail-sdk, being written
 * on the sdk branch), with the same method names; replaced by the SDK as soon as it lands.
 */
export type Environment = 'development' | 'staging' | 'production';

export interface Plan {
  id: string;
  name: string;
  rate_limit_requests_per_minute: number | null;
  rate_limit_requests_per_hour: number | null;
  rate_limit_requests_per_day: number | null;
  scopes: string[];
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: string;
  plan: string;
  created_at: string;
}

export interface AccessToken {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export interface ApiKey {
  id: string;
  name: string;
  key_prefix: string;
  scopes: string[];
  environment: Environment;
  rate_limit_requests_per_minute: number;
  rate_limit_requests_per_hour: number;
  rate_limit_requests_per_day: number;
  created_at: string;
  expires_at: string | null;
  is_active: boolean;
  allowed_ips: string[];
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatedApiKey extends ApiKey {
  api_key: string;
}

export interface CreateApiKeyInput {
  name: string;
  environment?: Environment;
  scopes: string[];
  expires_in_days?: number;
  rate_limit_requests_per_minute?: number;
  rate_limit_requests_per_hour?: number;
  rate_limit_requests_per_day?: number;
  allowed_ips?: string[];
}

export interface ApiKeyPage {
  data: ApiKey[];
  total: number;
  limit: number;
  offset: number;
}

export interface ApiKeyUsage {
  api_key_id: string;
  total_requests: number;
  successful_requests: number;
  failed_requests: number;
  avg_response_time_ms: number | null;
  requests_by_endpoint: Record<string, number>;
  requests_by_status_code: Record<string, number>;
  period_start: string;
  period_end: string;
}

/** An error answer of the API: its status, `error` text and, where the API gives them, the details. */
export class TuneTrailError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly reason?: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(error);
    this.name = 'TuneTrailError';
  }
}

type Query = Record<string, string | number | boolean | undefined>;

export class TuneTrailManagement {
  private readonly baseUrl: string;
  private accessToken: string | null = null;

  constructor(options: { baseUrl: string; accessToken?: string }) {
    this.baseUrl = options.baseUrl.replace(/\/$/, '');
    this.accessToken = options.accessToken ?? null;
  }

  setAccessToken(token: string | null): void {
    this.accessToken = token;
  }

  readonly auth = {
    register: (body: { email: string; password: string; name?: string }) =>
      this.request<AccessToken & { user: User }>('POST', '/auth/register', body),
    login: (body: { email: string; password: string }) => this.request<AccessToken>('POST', '/auth/login', body),
    me: () => this.request<User>('GET', '/auth/me'),
  };

  readonly plans = { list: () => this.request<Plan[]>('GET', '/plans') };

  readonly apiKeys = {
    create: (body: CreateApiKeyInput) => this.request<CreatedApiKey>('POST', '/api-keys', body),
    list: (query: { environment?: Environment; is_active?: boolean; limit?: number; offset?: number } = {}) =>
      this.request<ApiKeyPage>('GET', '/api-keys', undefined, query),
    get: (id: string) => this.request<ApiKey>('GET', `/api-keys/${id}`),
    update: (id: string, body: Partial<Omit<CreateApiKeyInput, 'expires_in_days'>> & { is_active?: boolean }) =>
      this.request<ApiKey>('PATCH', `/api-keys/${id}`, body),
    rotate: (id: string, body: { grace_period_hours?: number } = {}) =>
      this.request<CreatedApiKey & { rotated_from: string }>('POST', `/api-keys/${id}/rotate`, body),
    revoke: (id: string) => this.request<ApiKey>('POST', `/api-keys/${id}/revoke`),
    delete: (id: string) => this.request<void>('DELETE', `/api-keys/${id}`),
    usage: (id: string, query: { days?: number } = {}) =>
      this.request<ApiKeyUsage>('GET', `/api-keys/${id}/usage`, undefined, query),
  };

  private async request<T>(method: string, path: string, body?: unknown, query: Query = {}): Promise<T> {
    const url = new URL(this.baseUrl + path);
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(name, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.accessToken) headers.authorization = `Bearer ${this.accessToken}`;
    const response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const error = typeof payload.error === 'string' ? payload.error : response.statusText;
      const reason = typeof payload.reason === 'string' ? payload.reason : undefined;
      throw new TuneTrailError(response.status, error, reason, payload);
    }
    return payload as T;
  }
}
