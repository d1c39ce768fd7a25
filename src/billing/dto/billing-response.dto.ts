import { ApiProperty } from '@nestjs/swagger';
import { PLAN_IDS, PlanId } from '../../plans/plan.entity';
import { WhoamiRateLimitsDto } from '../../api-keys/dto/whoami-response.dto';
import { DayUsageDto } from '../../usage/dto/account-usage.dto';

/** The account's plan and its usage in one calendar month (UTC), every key included. */
export class BillingResponseDto {
  /** The account's current plan. */
  @ApiProperty({ enum: PLAN_IDS, example: 'pro' })
  plan: PlanId;

  /** The plan's limits (the account's own on enterprise). */
  rate_limits: WhoamiRateLimitsDto;

  /** First instant of the month. */
  @ApiProperty({ format: 'date-time', example: '2026-11-01T00:00:00.000Z' })
  period_start: string;

  /** End of the figures: now for the current month, else the first instant of the next month (exclusive). */
  @ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00.000Z' })
  period_end: string;

  /** Requests made in the period with any of the account's keys (deleted ones included). */
  requests_this_period: number;

  /** Of these, the ones answered with a status of 400 or more. */
  failed_requests_this_period: number;

  /** Requests made today (UTC), whatever the period. */
  requests_today: number;

  /** Keys that work now: not revoked, not suspended, not expired, not deleted. */
  active_keys: number;

  /** Every day of the period up to today, oldest first, zeros included. */
  by_day: DayUsageDto[];
}
