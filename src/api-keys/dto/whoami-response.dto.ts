import { ApiProperty } from '@nestjs/swagger';
import { PLAN_IDS, PlanId } from '../../plans/plan.entity';
import { SCOPES, Scope } from '../../plans/scopes';
import { ENVIRONMENTS, Environment } from '../api-key.entity';
import type { AuthenticatedApiKey } from '../authenticated-api-key';

export class WhoamiRateLimitsDto {
  /** Requests a minute this key may make. */
  minute: number;
  /** Requests an hour this key may make. */
  hour: number;
  /** Requests a day this key may make. */
  day: number;
}

const whoamiByKey = new WeakMap<AuthenticatedApiKey, WhoamiResponseDto>();

export class WhoamiResponseDto {
  /** Id of the presented key. */
  @ApiProperty({ format: 'uuid' })
  api_key_id: string;

  /** Its first 11 characters. */
  @ApiProperty({ example: 'tt_AbCdEfGh' })
  key_prefix: string;

  /** Its name. */
  name: string;

  /** Its environment. */
  @ApiProperty({ enum: ENVIRONMENTS })
  environment: Environment;

  /** Scopes on the key (each also needs your current plan to be usable). */
  @ApiProperty({ enum: SCOPES, isArray: true })
  scopes: Scope[];

  /** The owner's current plan. */
  @ApiProperty({ enum: PLAN_IDS })
  plan: PlanId;

  /** Limits the key runs with. */
  rate_limits: WhoamiRateLimitsDto;

  /** When it stops working; `null` for never. */
  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  expires_at: string | null;

  /** The same object for as long as the key stays cached (nothing here changes without a reload). */
  static from(apiKey: AuthenticatedApiKey): WhoamiResponseDto {
    let whoami = whoamiByKey.get(apiKey);
    if (whoami === undefined) whoamiByKey.set(apiKey, (whoami = WhoamiResponseDto.build(apiKey)));
    return whoami;
  }

  private static build(apiKey: AuthenticatedApiKey): WhoamiResponseDto {
    return {
      api_key_id: apiKey.id,
      key_prefix: apiKey.keyPrefix,
      name: apiKey.name,
      environment: apiKey.environment,
      scopes: [...apiKey.scopes],
      plan: apiKey.planId,
      rate_limits: { ...apiKey.limits },
      expires_at: apiKey.expiresAt === null ? null : apiKey.expiresAt.toISOString(),
    };
  }
}
