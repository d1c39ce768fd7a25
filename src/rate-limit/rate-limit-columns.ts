import { Column } from 'typeorm';
import { RATE_LIMIT_FIELDS, RateLimitSettings } from './rate-limits';

/**
 * The three `rate_limit_requests_per_*` columns, embedded (with `prefix: false`) in every entity that
 * sets limits: plans, users (custom enterprise limits) and API keys. `null` sets no limit for a window.
 */
export class RateLimitColumns implements RateLimitSettings {
  @Column('integer', { name: RATE_LIMIT_FIELDS.minute, nullable: true })
  minute: number | null;

  @Column('integer', { name: RATE_LIMIT_FIELDS.hour, nullable: true })
  hour: number | null;

  @Column('integer', { name: RATE_LIMIT_FIELDS.day, nullable: true })
  day: number | null;
}
