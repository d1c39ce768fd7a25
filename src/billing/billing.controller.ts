import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthenticatedApiKey } from '../api-keys/authenticated-api-key';
import { CurrentApiKey } from '../api-keys/current-api-key.decorator';
import { Scopes } from '../api-keys/scopes.decorator';
import { periodOf } from './billing-period';
import { BillingService } from './billing.service';
import { BillingQueryDto } from './dto/billing-query.dto';
import { BillingResponseDto } from './dto/billing-response.dto';

const BAD_PERIOD = '`period` not a month as YYYY-MM, or in the future';

@ApiTags('billing')
@Controller('billing')
export class BillingController {
  constructor(private readonly billing: BillingService) {}

  @Get()
  @Scopes('admin:billing')
  @ApiOperation({ summary: "Your plan and a calendar month's usage across all your keys (default: this month, UTC)" })
  @ApiBadRequestResponse({ description: BAD_PERIOD })
  get(@CurrentApiKey() key: AuthenticatedApiKey, @Query() query: BillingQueryDto): Promise<BillingResponseDto> {
    return this.billing.billing(key.userId, periodOf(query.period));
  }

  @Get('usage.csv')
  @Scopes('admin:billing')
  @ApiOperation({ summary: 'The same month, one CSV line a day' })
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'Header `date,total_requests,successful_requests,failed_requests`, then one line a day',
    schema: {
      type: 'string',
      example: 'date,total_requests,successful_requests,failed_requests\n2026-11-01,120,118,2\n',
    },
  })
  @ApiBadRequestResponse({ description: BAD_PERIOD })
  async csv(
    @CurrentApiKey() key: AuthenticatedApiKey,
    @Query() query: BillingQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const period = periodOf(query.period);
    const body = await this.billing.csv(key.userId, period);
    // Set only on success: an error keeps the JSON body and type.
    reply.header('Content-Type', 'text/csv; charset=utf-8');
    reply.header('Content-Disposition', `attachment; filename="tunetrail-usage-${period.month}.csv"`);
    return body;
  }
}
