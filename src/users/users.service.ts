import { Injectable } from '@nestjs/common';
import { DomainException, validationFailed, notFound, ValidationDetail } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { RequestContext, SYSTEM_CONTEXT } from '../events/event-types';
import { EventsRecorder } from '../events/events-recorder';
import { PlanId } from '../plans/plan.entity';
import { PlansService } from '../plans/plans.service';
import { RATE_LIMIT_FIELDS, RATE_LIMIT_WINDOWS, RateLimitSettings } from '../rate-limit/rate-limits';
import { EventBus } from '../redis/event-bus';
import { User, UserRole } from './user.entity';
import { UsersRepository, UserWithPasswordHash } from './users.repository';
import { USER_CHANGED_CHANNEL } from './user-events';

export interface NewUser {
  email: string;
  passwordHash: string;
  name?: string | null;
  role?: UserRole;
}

const normalizeEmail = (email: string): string => email.trim().toLowerCase();

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly plans: PlansService,
    private readonly events: EventBus,
    private readonly recorder: EventsRecorder,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findById(id);
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findByEmail(normalizeEmail(email));
  }

  /** For login only: the one read that loads the password hash. */
  findByEmailWithPasswordHash(email: string): Promise<UserWithPasswordHash | null> {
    return this.users.findByEmailWithPasswordHash(normalizeEmail(email));
  }

  /** Creates an account on the free plan; a taken email (any letter case) is `409`. */
  async create(input: NewUser): Promise<User> {
    const id = await this.users.insert({
      email: normalizeEmail(input.email),
      passwordHash: input.passwordHash,
      name: input.name ?? null,
      role: input.role ?? 'user',
    });
    if (id === null) throw new DomainException(ErrorCode.EmailTaken);
    return (await this.findById(id))!;
  }

  /**
   * Creates the account as an admin, or promotes the existing one and resets its password. One
   * statement, so instances starting together cannot race each other into a duplicate.
   */
  async upsertAdmin(email: string, passwordHash: string): Promise<User> {
    const id = await this.users.upsertAdmin(normalizeEmail(email), passwordHash);
    return (await this.findById(id))!;
  }

  /**
   * Moves a user to a plan. Custom limits are for plans without their own (enterprise), where all
   * three windows are required; other plans take none. Every instance then forgets the user's
   * cached API keys, so the new scopes and limits apply at once.
   */
  async changePlan(
    userId: string,
    planId: PlanId,
    limits: Partial<RateLimitSettings> = {},
    context: RequestContext = SYSTEM_CONTEXT,
  ): Promise<User> {
    const user = await this.findById(userId);
    if (!user) throw notFound();
    const custom = this.plans.hasCustomLimits(planId);
    const problems: ValidationDetail[] = RATE_LIMIT_WINDOWS.flatMap((window) => {
      const field = RATE_LIMIT_FIELDS[window];
      if (custom && limits[window] === undefined)
        return [{ field, message: `${field} is required on the ${planId} plan` }];
      if (!custom && limits[window] !== undefined)
        return [{ field, message: `${field} can only be set on a plan with custom limits (enterprise)` }];
      return [];
    });
    if (problems.length > 0) throw validationFailed(problems);

    const previousPlan = user.planId;
    user.planId = planId;
    user.rateLimits = custom
      ? { minute: limits.minute!, hour: limits.hour!, day: limits.day! }
      : { minute: null, hour: null, day: null };
    const saved = await this.users.transaction(async (users, manager) => {
      const stored = await users.save(user);
      await this.recorder.record(manager, {
        userId,
        type: 'plan.changed',
        data: { plan: planId, previous_plan: previousPlan, rate_limits: this.plans.limitsFor(stored) },
        actor: context.actor,
        ip: context.ip,
      });
      return stored;
    });
    await this.events.publish(USER_CHANGED_CHANNEL, user.id);
    return saved;
  }
}
