import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export class RotateApiKeyDto {
  /** Hours (1–168) the old key keeps working; absent revokes it at once. */
  @ApiProperty({ example: 24, required: false })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(168)
  grace_period_hours?: number;
}
