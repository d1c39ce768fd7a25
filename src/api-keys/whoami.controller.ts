import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentApiKey } from './current-api-key.decorator';
import type { AuthenticatedApiKey } from './authenticated-api-key';
import { WhoamiResponseDto } from './dto/whoami-response.dto';
import { Scopes } from './scopes.decorator';

@ApiTags('catalogue')
@Controller('whoami')
export class WhoamiController {
  @Get()
  @Scopes()
  @ApiOperation({ summary: 'The API key this request presents' })
  whoami(@CurrentApiKey() apiKey: AuthenticatedApiKey): WhoamiResponseDto {
    return WhoamiResponseDto.from(apiKey);
  }
}
