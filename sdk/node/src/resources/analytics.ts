import { Resource } from '../resource.js';
import type { AccountUsage, AccountUsageParams } from '../types.js';

export class AnalyticsResource extends Resource {
  /** `GET /analytics/usage` (read:analytics, Pro+): the account's usage across all its keys. */
  usage(params: AccountUsageParams = {}): Promise<AccountUsage> {
    return this.client.get('/analytics/usage', params);
  }
}
