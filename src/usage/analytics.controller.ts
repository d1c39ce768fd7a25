import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { CurrentApiKey } from '../api-keys/current-api-key.decorator';
import { Scopes } from '../api-keys/scopes.decorator';
import { AccountUsageDto } from './dto/account-usage.dto';
import { AccountUsageQueryDto } from './dto/usage-query.dto';
import { UsageService } from './usage.service';

@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly usage: UsageService) {}

  @Get('usage')
  @Scopes('read:analytics')
  @ApiOperation({
    summary: "The account's usage across all its keys over the last `days` days (default 30, at most 90)",
  })
  @ApiBadRequestResponse({ description: '`days` not a whole number from 1 to 90' })
  accountUsage(
    @CurrentApiKey() apiKey: AuthenticatedApiKey,
    @Query() query: AccountUsageQueryDto,
  ): Promise<AccountUsageDto> {
    return this.usage.accountUsage(apiKey.userId, query.days);
  }
}
