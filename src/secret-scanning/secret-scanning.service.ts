import { Injectable } from '@nestjs/common';
import { ApiKeyGenerator } from '../api-keys/api-key-generator';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { validationFailed, ValidationDetail } from '../common/errors/domain.exception';
import { SecretReportDto, SecretReportLabelDto } from './dto/secret-report.dto';

const MAX_MATCHES = 1000;
const OPTIONAL_FIELDS = ['url', 'source'] as const;

/** Labels reported tokens and revokes the keys among them at once. */
@Injectable()
export class SecretScanningService {
  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly generator: ApiKeyGenerator,
  ) {}

  async handle(reports: SecretReportDto[]): Promise<SecretReportLabelDto[]> {
    const labels: SecretReportLabelDto[] = [];
    for (const report of reports) {
      // A string without a valid checksum was never issued: no look-up.
      const issued =
        this.generator.isWellFormed(report.token) &&
        (await this.apiKeys.revokeExposed(report.token, { url: report.url ?? null, source: report.source ?? null }));
      labels.push({
        token_raw: report.token,
        token_type: report.type,
        label: issued ? 'true_positive' : 'false_positive',
      });
    }
    return labels;
  }

  /** The body is a JSON array of matches; the route takes it as parsed, so its shape is checked here. */
  parse(body: unknown): SecretReportDto[] {
    if (!Array.isArray(body) || body.length > MAX_MATCHES) {
      throw validationFailed([{ field: 'body', message: `body must be an array of at most ${MAX_MATCHES} matches` }]);
    }
    const problems: ValidationDetail[] = [];
    const reports = body.map((item: unknown, index): SecretReportDto => {
      const match = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
      for (const field of ['token', 'type'] as const) {
        if (typeof match[field] !== 'string')
          problems.push({ field: `${index}.${field}`, message: `${field} must be a string` });
      }
      for (const field of OPTIONAL_FIELDS) {
        if (match[field] !== undefined && typeof match[field] !== 'string') {
          problems.push({ field: `${index}.${field}`, message: `${field} must be a string` });
        }
      }
      return match as unknown as SecretReportDto;
    });
    if (problems.length > 0) throw validationFailed(problems);
    return reports;
  }
}
