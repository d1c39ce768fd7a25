import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/authenticated.decorator';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { UuidParam } from '../common/http/uuid-param.decorator';
import { KeyUsageDto } from './dto/key-usage.dto';
import { KeyUsageQueryDto } from './dto/usage-query.dto';
import { UsageService } from './usage.service';

@ApiTags('api-keys')
@Controller('api-keys')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get(':id/usage')
  @Authenticated()
  @ApiOperation({ summary: "One of your keys' usage over the last `days` days (default 7, at most 90)" })
  @ApiBadRequestResponse({ description: 'Malformed key id, or `days` not a whole number from 1 to 90' })
  @ApiNotFoundResponse({ description: 'No such key among yours (deleted keys included)' })
  keyUsage(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam() id: string,
    @Query() query: KeyUsageQueryDto,
  ): Promise<KeyUsageDto> {
    return this.usage.keyUsage(user.id, id, query.days);
  }
}
