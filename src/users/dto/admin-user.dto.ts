import { IsEmail, IsIn } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { PLAN_IDS, PlanId } from '../../plans/plan.entity';
import { fieldsOfLimits, RateLimitFieldsDto } from '../../rate-limit/rate-limit-fields';
import type { RateLimits } from '../../rate-limit/rate-limits';
import type { User } from '../user.entity';
import { UserResponseDto } from './user-response.dto';

/** Custom limits an enterprise customer might get (Swagger UI pre-fills them). */
const ENTERPRISE_LIMITS_EXAMPLE = { minute: 1000, hour: 50_000, day: 1_000_000 };

export class FindUserQueryDto {
  /** The account's email (any letter case). */
  @IsEmail()
  email: string;
}

export class ChangePlanDto extends RateLimitFieldsDto(
  () => 'Custom limit; only on `enterprise`, where all three are required.',
  ENTERPRISE_LIMITS_EXAMPLE,
) {
  @ApiProperty({ enum: PLAN_IDS })
  @IsIn(PLAN_IDS)
  plan: PlanId;
}

/** A user as operators see it: the account plus the limits in force for its API keys. */
export class AdminUserDto extends UserResponseDto {
  /** Requests a minute an API key of this user gets by default (the plan's, or the custom value). */
  rate_limit_requests_per_minute: number;

  /** Requests an hour, likewise. */
  rate_limit_requests_per_hour: number;

  /** Requests a day, likewise. */
  rate_limit_requests_per_day: number;

  static fromUser(user: User, limits: RateLimits): AdminUserDto {
    return {
      ...UserResponseDto.from(user),
      ...fieldsOfLimits(limits),
    };
  }
}
