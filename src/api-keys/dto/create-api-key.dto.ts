import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { SCOPES, Scope } from '../../plans/scopes';
import { PLAN_CATALOGUE } from '../../plans/plan-catalogue';
import { RateLimitFieldsDto } from '../../rate-limit/rate-limit-fields';
import type { RateLimits } from '../../rate-limit/rate-limits';
import { ENVIRONMENTS, Environment } from '../api-key.entity';
import { IsIpOrCidrEach } from './ip-rule.validator';

export class CreateApiKeyDto extends RateLimitFieldsDto(
  (window) =>
    `Requests a${window === 'hour' ? 'n' : ''} ${window}; absent means your plan's. No higher than your plan's (any value on enterprise).`,
  // Pre-filled in Swagger UI: what a new (free) account may ask for.
  PLAN_CATALOGUE.free.limits as RateLimits,
) {
  /** Descriptive name, 1–100 characters. */
  @ApiProperty({ example: 'Production API', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  @Matches(/\S/, { message: 'name must not be blank' })
  name: string;

  /** Where the key is used. */
  @ApiProperty({ enum: ENVIRONMENTS, default: 'development', required: false })
  @IsOptional()
  @IsIn(ENVIRONMENTS)
  environment?: Environment;

  /** Scopes granted to the key; each must be in your plan (else 403 with `reason: "plan"`). */
  @ApiProperty({ enum: SCOPES, isArray: true, example: ['read:tracks', 'read:recommendations'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(SCOPES.length * 4)
  @IsIn(SCOPES, { each: true })
  scopes: Scope[];

  /** Lifetime in days (1–3650); absent means it never expires. */
  @ApiProperty({ minimum: 1, maximum: 3650, example: 90, required: false })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3650)
  expires_in_days?: number;

  /** IPv4/IPv6 addresses or CIDR ranges the key may be used from; absent or empty means any address. */
  @ApiProperty({ type: [String], example: [], required: false })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsIpOrCidrEach()
  allowed_ips?: string[];
}
