import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { ApiKeysService } from '../api-keys/api-keys.service';
import { AccountUsageDto, DayUsageDto } from './dto/account-usage.dto';
import { KeyUsageDto } from './dto/key-usage.dto';
import { UsageRepository } from './usage.repository';

const DAY_MS = 86_400_000;

interface Period {
  start: Date;
  end: Date;
}

const periodOf = (days: number): Period => {
  const end = new Date();
  return { start: new Date(end.getTime() - days * DAY_MS), end };
};

const isFailure = (statusCode: number): boolean => statusCode >= 400;

@Injectable()
export class UsageService {
  constructor(
    private readonly usageRows: UsageRepository,
    private readonly apiKeys: ApiKeysService,
    private readonly keys: ApiKeysRepository,
  ) {}

  /** GET /api-keys/{id}/usage: 404 unless the key is the user's and not deleted. */
  async keyUsage(userId: string, keyId: string, days: number): Promise<KeyUsageDto> {
    await this.apiKeys.findOwned(userId, keyId);
    const period = periodOf(days);
    const rows = await this.usageRows.keyUsage(keyId, period.start, period.end);
    const usage: KeyUsageDto = {
      api_key_id: keyId,
      total_requests: 0,
      successful_requests: 0,
      failed_requests: 0,
      avg_response_time_ms: 0,
      requests_by_endpoint: {},
      requests_by_status_code: {},
      period_start: period.start.toISOString(),
      period_end: period.end.toISOString(),
    };
    let totalMs = 0;
    for (const row of rows) {
      usage.total_requests += row.requests;
      if (isFailure(row.status_code)) usage.failed_requests += row.requests;
      else usage.successful_requests += row.requests;
      usage.requests_by_endpoint[row.route] = (usage.requests_by_endpoint[row.route] ?? 0) + row.requests;
      usage.requests_by_status_code[row.status_code] =
        (usage.requests_by_status_code[row.status_code] ?? 0) + row.requests;
      totalMs += row.total_ms;
    }
    if (usage.total_requests > 0) usage.avg_response_time_ms = Math.round((totalMs / usage.total_requests) * 10) / 10;
    return usage;
  }

  /** GET /analytics/usage: every key the account ever had, deleted ones included (their rows count). */
  async accountUsage(userId: string, days: number): Promise<AccountUsageDto> {
    const period = periodOf(days);
    const keys = await this.keys.findAllOfUser(userId);
    const rows = keys.length
      ? await this.usageRows.accountUsage(
          keys.map((key) => key.id),
          period.start,
          period.end,
        )
      : [];
    const byDay = new Map(
      daysOf(period).map((date): [string, DayUsageDto] => [date, { date, total_requests: 0, failed_requests: 0 }]),
    );
    const keysById = new Map(keys.map((key) => [key.id, key]));
    const usage: AccountUsageDto = {
      period_start: period.start.toISOString(),
      period_end: period.end.toISOString(),
      total_requests: 0,
      successful_requests: 0,
      failed_requests: 0,
      requests_by_status_code: {},
      by_key: [],
      by_day: [...byDay.values()],
    };
    for (const row of rows) {
      if (row.status_code !== null) {
        usage.total_requests += row.requests;
        usage.failed_requests += row.failed;
        usage.requests_by_status_code[row.status_code] = row.requests;
      } else if (row.key_id !== null) {
        const key = keysById.get(row.key_id)!;
        usage.by_key.push({
          api_key_id: key.id,
          key_prefix: key.keyPrefix,
          name: key.name,
          total_requests: row.requests,
          failed_requests: row.failed,
        });
      } else if (row.day !== null) {
        const day = byDay.get(row.day);
        if (day) Object.assign(day, { total_requests: row.requests, failed_requests: row.failed });
      }
    }
    usage.successful_requests = usage.total_requests - usage.failed_requests;
    usage.by_key.sort((a, b) => b.total_requests - a.total_requests || a.api_key_id.localeCompare(b.api_key_id));
    return usage;
  }
}

/** Every UTC date from the period's start to its end, oldest first. */
function daysOf(period: Period): string[] {
  const dates: string[] = [];
  const last = period.end.toISOString().slice(0, 10);
  for (let day = new Date(period.start.toISOString().slice(0, 10)); ; day = new Date(day.getTime() + DAY_MS)) {
    const date = day.toISOString().slice(0, 10);
    dates.push(date);
    if (date === last) return dates;
  }
}
