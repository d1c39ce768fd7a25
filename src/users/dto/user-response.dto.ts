import { ApiProperty } from '@nestjs/swagger';
import { PLAN_IDS, PlanId } from '../../plans/plan.entity';
import type { User, UserRole } from '../user.entity';

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  /** Lower-cased. */
  email: string;

  name: string | null;

  @ApiProperty({ enum: ['user', 'admin'] })
  role: UserRole;

  /** The account's current plan. */
  @ApiProperty({ enum: PLAN_IDS })
  plan: PlanId;

  /** ISO 8601 UTC. */
  @ApiProperty({ format: 'date-time' })
  created_at: string;

  static from(user: User): UserResponseDto {
    return {
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      plan: user.planId,
      created_at: user.createdAt.toISOString(),
    };
  }
}
