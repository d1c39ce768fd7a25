import { Resource } from '../resource.js';
import type { Billing, BillingParams } from '../types.js';

export class BillingResource extends Resource {
  /** `GET /billing` (admin:billing, Pro+): the plan and a month's usage (`period` `YYYY-MM`, default this month). */
  get(params: BillingParams = {}): Promise<Billing> {
    return this.client.get('/billing', params);
  }

  /** `GET /billing/usage.csv`: the same month as CSV text, one line a day. */
  usageCsv(params: BillingParams = {}): Promise<string> {
    return this.client.get('/billing/usage.csv', params);
  }
}
