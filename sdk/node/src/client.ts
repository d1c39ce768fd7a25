import { type ClientOptions, envVar, HttpClient } from './core.js';
import * as errors from './errors.js';
import { Page } from './pagination.js';
import { isWellFormedApiKey } from './key-format.js';
import { AnalyticsResource } from './resources/analytics.js';
import { ApiKeysResource } from './resources/api-keys.js';
import { BillingResource } from './resources/billing.js';
import { AuthResource, PlansResource } from './resources/auth.js';
import { ModelsResource } from './resources/models.js';
import { PlaylistsResource } from './resources/playlists.js';
import { RecommendationsResource } from './resources/recommendations.js';
import { TracksResource } from './resources/tracks.js';
import { WebhooksResource } from './resources/webhooks.js';
import type { Whoami } from './types.js';

export interface TuneTrailOptions extends ClientOptions {
  /** A `tt_...` key; defaults to `TUNETRAIL_API_KEY`. */
  apiKey?: string;
}

export interface TuneTrailManagementOptions extends ClientOptions {
  /** A JWT from `auth.login`/`auth.register` (which also set it). */
  accessToken?: string;
}

/** Client of the management (JWT) routes: accounts, plans and API keys, as the dashboard uses them. */
export class TuneTrailManagement extends HttpClient {
  // Private fields, so printing the client never shows the credential.
  #accessToken: string | null;
  readonly auth: AuthResource = new AuthResource(this, this);
  readonly plans = new PlansResource(this);
  readonly apiKeys = new ApiKeysResource(this);

  constructor(options: TuneTrailManagementOptions = {}) {
    super(options);
    this.#accessToken = options.accessToken ?? null;
  }

  /** Uses `token` from now on (null: send none). */
  setAccessToken(token: string | null): void {
    this.#accessToken = token;
  }

  protected authorization(): string | null {
    return this.#accessToken ? `Bearer ${this.#accessToken}` : null;
  }
}

/** Client of the API-key routes: `new TuneTrail({ apiKey })`, then `client.tracks.list()`. */
export class TuneTrail extends HttpClient {
  static readonly Management = TuneTrailManagement;
  // The error classes and Page on the class too, for `catch (e) { if (e instanceof TuneTrail.RateLimitError) ... }`.
  static readonly TuneTrailError = errors.TuneTrailError;
  static readonly APIError = errors.APIError;
  static readonly APIConnectionError = errors.APIConnectionError;
  static readonly AuthenticationError = errors.AuthenticationError;
  static readonly PermissionDeniedError = errors.PermissionDeniedError;
  static readonly NotFoundError = errors.NotFoundError;
  static readonly ConflictError = errors.ConflictError;
  static readonly ValidationError = errors.ValidationError;
  static readonly RateLimitError = errors.RateLimitError;
  static readonly Page = Page;

  readonly #apiKey: string | null;
  readonly tracks = new TracksResource(this);
  readonly recommendations = new RecommendationsResource(this);
  readonly analytics = new AnalyticsResource(this);
  readonly webhooks = new WebhooksResource(this);
  readonly billing = new BillingResource(this);
  readonly playlists = new PlaylistsResource(this);
  readonly models = new ModelsResource(this);

  constructor(options: TuneTrailOptions = {}) {
    super(options);
    this.#apiKey = options.apiKey ?? envVar('TUNETRAIL_API_KEY') ?? null;
  }

  /** `GET /whoami`: the key this client presents, its scopes, plan and limits. */
  whoami(): Promise<Whoami> {
    return this.get('/whoami');
  }

  /** The key, checked locally: a missing or malformed one fails here, without a request. */
  protected authorization(): string {
    if (!this.#apiKey) {
      throw new errors.AuthenticationError({
        status: null,
        reason: 'missing',
        message: 'No API key: pass { apiKey } or set TUNETRAIL_API_KEY',
        body: { error: 'Invalid API key', reason: 'missing' },
      });
    }
    if (!isWellFormedApiKey(this.#apiKey)) {
      throw new errors.AuthenticationError({
        status: null,
        reason: 'malformed',
        message: 'Invalid API key (malformed): not a tt_ key, or its checksum is wrong (mistyped?)',
        body: { error: 'Invalid API key', reason: 'malformed' },
      });
    }
    return `Bearer ${this.#apiKey}`;
  }
}
