import { Body, Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainException, notFound } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { SecretReportDto, SecretReportLabelDto } from './dto/secret-report.dto';
import { rawBodyOf } from './raw-body-capture';
import { ReportSignature } from './report-signature';
import { SecretScanningService } from './secret-scanning.service';

@ApiTags('secret-scanning')
@Controller('secret-scanning')
export class SecretScanningController {
  constructor(
    private readonly signature: ReportSignature,
    private readonly scanning: SecretScanningService,
  ) {}

  @Post('reports')
  @HttpCode(200)
  @ApiOperation({
    summary: "Leaked keys found in public (GitHub's secret-scanning partner program); issued keys are revoked at once",
    description: 'Signed with ECDSA P-256/SHA-256 over the raw body by a key listed in SECRET_SCANNING_PUBLIC_KEYS.',
  })
  @ApiHeader({ name: 'Github-Public-Key-Identifier', required: true, description: 'Id of the signing key' })
  @ApiHeader({ name: 'Github-Public-Key-Signature', required: true, description: 'Base64 DER ECDSA signature' })
  @ApiBody({ type: SecretReportDto, isArray: true })
  @ApiOkResponse({ type: SecretReportLabelDto, isArray: true })
  @ApiBadRequestResponse({ description: 'Not an array of matches' })
  @ApiUnauthorizedResponse({
    description: 'Missing or bad signature',
    schema: { example: { error: 'Invalid signature' } },
  })
  @ApiNotFoundResponse({ description: 'SECRET_SCANNING_PUBLIC_KEYS is not set' })
  async report(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Headers('github-public-key-identifier') keyId: string | undefined,
    @Headers('github-public-key-signature') signature: string | undefined,
  ): Promise<SecretReportLabelDto[]> {
    if (!this.signature.enabled) throw notFound();
    const raw = rawBodyOf(request);
    if (!raw || !this.signature.isValid(raw, keyId, signature)) throw new DomainException(ErrorCode.InvalidSignature);
    return this.scanning.handle(this.scanning.parse(body));
  }
}
