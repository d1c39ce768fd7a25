import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { DomainException, validationFailed, notFound, ValidationDetail } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { PlanId } from '../plans/plan.entity';
import { PlansService } from '../plans/plans.service';
import type { RateLimits, RateLimitWindow } from '../rate-limit/rate-limits';
import { RATE_LIMIT_WINDOWS } from '../rate-limit/rate-limits';
import { EventBus } from '../redis/event-bus';
import { User, UserRole } from './user.entity';
import { USER_CHANGED_CHANNEL } from './user-events';

export interface NewUser {
  email: string;
  passwordHash: string;
  name?: string | null;
  role?: UserRole;
}

/** A user together with the password hash, which normal reads never load. */
export type UserWithPasswordHash = User & { passwordHash: string };

const UNIQUE_VIOLATION = '23505';

const LIMIT_FIELDS: Record<RateLimitWindow, string> = {
  minute: 'rate_limit_requests_per_minute',
  hour: 'rate_limit_requests_per_hour',
  day: 'rate_limit_requests_per_day',
};

const normalizeEmail = (email: string): string => email.trim().toLowerCase();

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly plans: PlansService,
    private readonly events: EventBus,
  ) {}

  findById(id: string): Promise<User | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email: normalizeEmail(email) });
  }

  /** For login only: the one read that loads the password hash. */
  findByEmailWithPasswordHash(email: string): Promise<UserWithPasswordHash | null> {
    return this.users
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .where('user.email = :email', { email: normalizeEmail(email) })
      .getOne() as Promise<UserWithPasswordHash | null>;
  }

  /** Creates an account on the free plan; a taken email (any letter case) is `409`. */
  async create(input: NewUser): Promise<User> {
    try {
      const inserted = await this.users.insert({
        email: normalizeEmail(input.email),
        passwordHash: input.passwordHash,
        name: input.name ?? null,
        role: input.role ?? 'user',
      });
      return (await this.findById(inserted.identifiers[0].id as string))!;
    } catch (error) {
      if (error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION) {
        throw new DomainException(ErrorCode.EmailTaken);
      }
      throw error;
    }
  }

  /**
   * Creates the account as an admin, or promotes the existing one and resets its password. One
   * statement, so instances starting together cannot race each other into a duplicate.
   */
  async upsertAdmin(email: string, passwordHash: string): Promise<User> {
    const rows: { id: string }[] = await this.users.query(
      `INSERT INTO users (email, password_hash, role) VALUES ($1, $2, 'admin')
       ON CONFLICT ((lower(email))) DO UPDATE SET role = 'admin', password_hash = EXCLUDED.password_hash, updated_at = now()
       RETURNING id`,
      [normalizeEmail(email), passwordHash],
    );
    return (await this.findById(rows[0].id))!;
  }

  /**
   * Moves a user to a plan. Custom limits are for plans without their own (enterprise), where all
   * three windows are required; other plans take none. Every instance then forgets the user's
   * cached API keys, so the new scopes and limits apply at once.
   */
  async changePlan(userId: string, planId: PlanId, limits: Partial<RateLimits> = {}): Promise<User> {
    const user = await this.findById(userId);
    if (!user) throw notFound();
    const custom = this.plans.hasCustomLimits(planId);
    const problems: ValidationDetail[] = RATE_LIMIT_WINDOWS.flatMap((window) => {
      const field = LIMIT_FIELDS[window];
      if (custom && limits[window] === undefined)
        return [{ field, message: `${field} is required on the ${planId} plan` }];
      if (!custom && limits[window] !== undefined)
        return [{ field, message: `${field} can only be set on a plan with custom limits (enterprise)` }];
      return [];
    });
    if (problems.length > 0) throw validationFailed(problems);

    user.planId = planId;
    user.rateLimitRequestsPerMinute = custom ? limits.minute! : null;
    user.rateLimitRequestsPerHour = custom ? limits.hour! : null;
    user.rateLimitRequestsPerDay = custom ? limits.day! : null;
    const saved = await this.users.save(user);
    await this.events.publish(USER_CHANGED_CHANNEL, user.id);
    return saved;
  }
}
