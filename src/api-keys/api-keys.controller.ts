import { Body, Controller, Delete, Get, HttpCode, Ip, Patch, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiForbiddenResponse, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser } from '../auth/authenticated.decorator';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { UuidParam } from '../common/http/uuid-param.decorator';
import type { RequestContext } from '../events/event-types';
import { ApiKeysService } from './api-keys.service';
import {
  ApiKeyListResponseDto,
  ApiKeyResponseDto,
  CreatedApiKeyResponseDto,
  RotatedApiKeyResponseDto,
} from './dto/api-key-response.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { ListApiKeysQueryDto } from './dto/list-api-keys-query.dto';
import { RotateApiKeyDto } from './dto/rotate-api-key.dto';
import { UpdateApiKeyDto } from './dto/update-api-key.dto';

const planForbidden = {
  description: 'A requested scope is not in your plan',
  schema: { example: { error: 'Insufficient permissions', required_scopes: ['read:audio_features'], reason: 'plan' } },
};

@ApiTags('api-keys')
@ApiNotFoundResponse({ description: 'No such key among yours' })
@Authenticated()
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiOperation({ summary: 'Create an API key (the full key is shown only in this response)' })
  @ApiForbiddenResponse(planForbidden)
  async create(
    @CurrentUser() user: AuthenticatedUser,
    @Body() dto: CreateApiKeyDto,
    @Ip() ip: string,
  ): Promise<CreatedApiKeyResponseDto> {
    const issued = await this.apiKeys.create(user.id, dto, contextOf(user, ip));
    return CreatedApiKeyResponseDto.withSecret(issued.key, issued.limits, issued.secret);
  }

  @Get()
  @ApiOperation({ summary: 'List your API keys, newest first' })
  async list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: ListApiKeysQueryDto,
  ): Promise<ApiKeyListResponseDto> {
    const page = await this.apiKeys.list(user.id, query);
    return {
      data: page.data.map(({ key, limits }) => ApiKeyResponseDto.from(key, limits)),
      total: page.total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One of your API keys' })
  async get(@CurrentUser() user: AuthenticatedUser, @UuidParam() id: string): Promise<ApiKeyResponseDto> {
    const { key, limits } = await this.apiKeys.get(user.id, id);
    return ApiKeyResponseDto.from(key, limits);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Rename, suspend/resume, or change scopes, limits, allowed IPs or expiry' })
  @ApiForbiddenResponse(planForbidden)
  @ApiConflictResponse({ description: 'A revoked key cannot be reactivated' })
  async update(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam() id: string,
    @Body() dto: UpdateApiKeyDto,
    @Ip() ip: string,
  ): Promise<ApiKeyResponseDto> {
    const { key, limits } = await this.apiKeys.update(user.id, id, dto, contextOf(user, ip));
    return ApiKeyResponseDto.from(key, limits);
  }

  @Post(':id/rotate')
  @ApiOperation({
    summary: 'Issue a new key with the same settings; the old one is revoked now or after a grace period',
  })
  @ApiConflictResponse({ description: 'A revoked key cannot be rotated' })
  async rotate(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam() id: string,
    @Body() dto: RotateApiKeyDto,
    @Ip() ip: string,
  ): Promise<RotatedApiKeyResponseDto> {
    const issued = await this.apiKeys.rotate(user.id, id, dto, contextOf(user, ip));
    return {
      ...CreatedApiKeyResponseDto.withSecret(issued.key, issued.limits, issued.secret),
      rotated_from: issued.rotatedFrom,
    };
  }

  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke for good (revoking twice is harmless)' })
  async revoke(
    @CurrentUser() user: AuthenticatedUser,
    @UuidParam() id: string,
    @Ip() ip: string,
  ): Promise<ApiKeyResponseDto> {
    const { key, limits } = await this.apiKeys.revoke(user.id, id, contextOf(user, ip));
    return ApiKeyResponseDto.from(key, limits);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete; the key stops working and its usage stays in your analytics' })
  async remove(@CurrentUser() user: AuthenticatedUser, @UuidParam() id: string, @Ip() ip: string): Promise<void> {
    await this.apiKeys.remove(user.id, id, contextOf(user, ip));
  }
}

/** The account holder acting on their own keys. */
const contextOf = (user: AuthenticatedUser, ip: string): RequestContext => ({
  actor: { type: 'user', id: user.id },
  ip,
});
