import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayNotEmpty,
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { EVENT_TYPES } from '../../events/event-types';

/** What an endpoint can subscribe to: event types, or `*` alone for every type. */
export const SUBSCRIBABLE = [...EVENT_TYPES, '*'] as const;

export class CreateWebhookDto {
  /** Where deliveries are posted: `https://` (see the URL rules). */
  @ApiProperty({ example: 'https://example.com/hooks/tunetrail', maxLength: 2048 })
  @IsString()
  @MinLength(1)
  @MaxLength(2048)
  url: string;

  /** Event types to deliver, or `["*"]` for all. */
  @ApiProperty({ enum: SUBSCRIBABLE, isArray: true, example: ['api_key.revoked', 'api_key.exposed'] })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(SUBSCRIBABLE.length)
  @IsIn(SUBSCRIBABLE, { each: true })
  events: string[];

  /** What the endpoint is for. */
  @ApiProperty({ required: false, maxLength: 500, example: 'Alerts to the ops channel' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
