import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/authenticated.decorator';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { EventsRepository } from '../events/events.repository';
import { AuditLogQueryDto } from './dto/audit-log-query.dto';
import { AuditLogEntryDto, AuditLogResponseDto } from './dto/audit-log-response.dto';

@ApiTags('audit-log')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly events: EventsRepository) {}

  @Get()
  @Authenticated()
  @ApiOperation({ summary: "Your account's events (key changes, plan changes, limits, exposures), newest first" })
  @ApiBadRequestResponse({ description: 'Unknown `type`, or `limit`/`offset` out of range' })
  async list(@CurrentUser() user: AuthenticatedUser, @Query() query: AuditLogQueryDto): Promise<AuditLogResponseDto> {
    const page = await this.events.page(user.id, query.type, query.limit, query.offset);
    return {
      data: page.data.map((event) => AuditLogEntryDto.from(event)),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
    };
  }
}
