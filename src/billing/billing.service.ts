import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { PlansService } from '../plans/plans.service';
import type { DayUsageDto } from '../usage/dto/account-usage.dto';
import { UsageRepository } from '../usage/usage.repository';
import { UsersService } from '../users/users.service';
import type { Period } from './billing-period';
import type { BillingResponseDto } from './dto/billing-response.dto';

const DAY_MS = 86_400_000;

const CSV_HEADER = 'date,total_requests,successful_requests,failed_requests';

/** The billing view: the plan and a month of usage across all the account's keys. */
@Injectable()
export class BillingService {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly usage: UsageRepository,
    private readonly users: UsersService,
    private readonly plans: PlansService,
  ) {}

  async billing(userId: string, period: Period): Promise<BillingResponseDto> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainException(ErrorCode.InvalidApiKey, { extra: { reason: 'unknown' } });
    const today = startOfDay(new Date());
    const todayInPeriod = today >= period.start && today < period.next;
    const keyIds = await this.keyIdsOf(userId);
    const [byDay, activeKeys, todayRows] = await Promise.all([
      this.byDay(keyIds, period),
      this.keys.countUsable(userId),
      todayInPeriod ? null : this.usage.dailyTotals(keyIds, today, new Date(today.getTime() + DAY_MS)),
    ]);
    const todayDate = today.toISOString().slice(0, 10);
    const requestsToday = todayRows
      ? todayRows.reduce((sum, row) => sum + row.total, 0)
      : (byDay.find((day) => day.date === todayDate)?.total_requests ?? 0);
    const limits = this.plans.limitsFor(user);
    return {
      plan: user.planId,
      rate_limits: { minute: limits.minute, hour: limits.hour, day: limits.day },
      period_start: period.start.toISOString(),
      period_end: period.end.toISOString(),
      requests_this_period: byDay.reduce((sum, day) => sum + day.total_requests, 0),
      failed_requests_this_period: byDay.reduce((sum, day) => sum + day.failed_requests, 0),
      requests_today: requestsToday,
      active_keys: activeKeys,
      by_day: byDay,
    };
  }

  async csv(userId: string, period: Period): Promise<string> {
    const lines = (await this.byDay(await this.keyIdsOf(userId), period)).map(
      (day) => `${day.date},${day.total_requests},${day.total_requests - day.failed_requests},${day.failed_requests}`,
    );
    return [CSV_HEADER, ...lines].join('\n') + '\n';
  }

  /** Every key the account ever had: deleted keys' requests still count. */
  private async keyIdsOf(userId: string): Promise<string[]> {
    return (await this.keys.findAllOfUser(userId)).map((key) => key.id);
  }

  /** Every day from the period's start up to its end (today for this month), zeros included. */
  private async byDay(keyIds: string[], period: Period): Promise<DayUsageDto[]> {
    const rows = await this.usage.dailyTotals(keyIds, period.start, period.next);
    const counts = new Map(rows.map((row) => [row.date, row]));
    const days: DayUsageDto[] = [];
    for (let day = period.start; day < period.end; day = new Date(day.getTime() + DAY_MS)) {
      const date = day.toISOString().slice(0, 10);
      const row = counts.get(date);
      days.push({ date, total_requests: row?.total ?? 0, failed_requests: row?.failed ?? 0 });
    }
    return days;
  }
}

const startOfDay = (date: Date): Date => new Date(date.toISOString().slice(0, 10));
