import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PaginationQueryDto } from '../../common/http/pagination-query.dto';
import { EVENT_TYPES, EventType } from '../../events/event-types';

export class AuditLogQueryDto extends PaginationQueryDto {
  /** Only events of this type. */
  @ApiPropertyOptional({ enum: EVENT_TYPES })
  @IsOptional()
  @IsIn(EVENT_TYPES)
  type?: EventType;
}
