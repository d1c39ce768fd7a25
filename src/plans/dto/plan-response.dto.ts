import { Plan, PLAN_IDS, PlanId } from '../plan.entity';
import { SCOPES, Scope } from '../scopes';
import { fieldsOfLimits } from '../../rate-limit/rate-limit-fields';
import { ApiProperty } from '@nestjs/swagger';

export class PlanResponseDto {
  /** Plan identifier. */
  @ApiProperty({ enum: PLAN_IDS, example: 'starter' })
  id: PlanId;

  /** Display name. */
  name: string;

  /** Requests a minute per API key; `null` when custom (enterprise). */
  rate_limit_requests_per_minute: number | null;

  /** Requests an hour per API key; `null` when custom (enterprise). */
  rate_limit_requests_per_hour: number | null;

  /** Requests a day per API key; `null` when custom (enterprise). */
  rate_limit_requests_per_day: number | null;

  /** Scopes an API key of this plan may hold. */
  @ApiProperty({ enum: SCOPES, isArray: true })
  scopes: Scope[];

  static from(plan: Plan): PlanResponseDto {
    return {
      id: plan.id,
      name: plan.name,
      ...fieldsOfLimits(plan.rateLimits),
      scopes: [...plan.scopes],
    };
  }
}
