import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, IsNull, Repository } from 'typeorm';
import { DomainException, notFound, validationFailed, ValidationDetail } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { PlansService } from '../plans/plans.service';
import type { Scope } from '../plans/scopes';
import { RATE_LIMIT_WINDOWS, RateLimits, RateLimitWindow } from '../rate-limit/rate-limits';
import { EventBus } from '../redis/event-bus';
import { UsersService } from '../users/users.service';
import { API_KEY_CHANGED_CHANNEL } from './api-key-events';
import { ApiKeyGenerator } from './api-key-generator';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKey } from './api-key.entity';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { ListApiKeysQueryDto } from './dto/list-api-keys-query.dto';
import { RotateApiKeyDto } from './dto/rotate-api-key.dto';
import { UpdateApiKeyDto } from './dto/update-api-key.dto';
import { canonicalIpRule } from './ip-allowlist';
import { effectiveLimits } from './key-limits';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

const LIMIT_FIELDS = {
  minute: 'rate_limit_requests_per_minute',
  hour: 'rate_limit_requests_per_hour',
  day: 'rate_limit_requests_per_day',
} as const satisfies Record<RateLimitWindow, string>;

const LIMIT_COLUMNS = {
  minute: 'rateLimitRequestsPerMinute',
  hour: 'rateLimitRequestsPerHour',
  day: 'rateLimitRequestsPerDay',
} as const satisfies Record<RateLimitWindow, keyof ApiKey>;

type LimitFields = Partial<Record<(typeof LIMIT_FIELDS)[RateLimitWindow], number | null>>;

/** What the owner's plan allows, read once per management request. */
interface KeyOwner {
  planScopes: ReadonlySet<Scope>;
  limits: RateLimits;
  customLimits: boolean;
}

/** A key with the limits it runs with (what responses show). */
export interface OwnedApiKey {
  key: ApiKey;
  limits: RateLimits;
}

/** A key just issued: the only moment its secret exists outside the client. */
export interface IssuedApiKey extends OwnedApiKey {
  secret: string;
}

export interface ApiKeyPage {
  data: OwnedApiKey[];
  total: number;
}

const unique = <T>(values: readonly T[]): T[] => [...new Set(values)];

/**
 * Issuing and managing a user's keys. Every change is published on {@link API_KEY_CHANGED_CHANNEL}
 * so that every instance forgets the key's cached verification at once.
 */
@Injectable()
export class ApiKeysService {
  constructor(
    @InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly plans: PlansService,
    private readonly generator: ApiKeyGenerator,
    private readonly hasher: ApiKeyHasher,
    private readonly events: EventBus,
  ) {}

  async create(userId: string, dto: CreateApiKeyDto): Promise<IssuedApiKey> {
    const owner = await this.ownerOf(userId);
    this.checkLimits(owner, dto);
    const scopes = unique(dto.scopes);
    this.checkPlanScopes(owner, scopes);
    const secret = this.generator.generate();
    const now = Date.now();
    const key = await this.keys.save(
      this.keys.create({
        userId,
        name: dto.name,
        environment: dto.environment ?? 'development',
        keyPrefix: this.generator.prefixOf(secret),
        keyHash: this.hasher.hash(secret),
        scopes,
        rateLimitRequestsPerMinute: dto.rate_limit_requests_per_minute ?? null,
        rateLimitRequestsPerHour: dto.rate_limit_requests_per_hour ?? null,
        rateLimitRequestsPerDay: dto.rate_limit_requests_per_day ?? null,
        allowedIps: canonicalIps(dto.allowed_ips ?? []),
        isActive: true,
        expiresAt: dto.expires_in_days == null ? null : new Date(now + dto.expires_in_days * DAY_MS),
        revokedAt: null,
        deletedAt: null,
        lastUsedAt: null,
        rotatedFrom: null,
        createdAt: new Date(now),
      }),
    );
    return { ...this.withLimits(key, owner), secret };
  }

  async list(userId: string, query: ListApiKeysQueryDto): Promise<ApiKeyPage> {
    const where: FindOptionsWhere<ApiKey> = { userId, deletedAt: IsNull() };
    if (query.environment !== undefined) where.environment = query.environment;
    if (query.is_active !== undefined) where.isActive = query.is_active;
    const [owner, [keys, total]] = await Promise.all([
      this.ownerOf(userId),
      this.keys.findAndCount({
        where,
        order: { createdAt: 'DESC', id: 'DESC' },
        take: query.limit,
        skip: query.offset,
      }),
    ]);
    return { data: keys.map((key) => this.withLimits(key, owner)), total };
  }

  /** The user's key, or 404 when it does not exist, was deleted, or belongs to someone else. */
  async findOwned(userId: string, keyId: string): Promise<ApiKey> {
    const key = await this.keys.findOneBy({ id: keyId, userId, deletedAt: IsNull() });
    if (!key) throw notFound();
    return key;
  }

  async get(userId: string, keyId: string): Promise<OwnedApiKey> {
    const [key, owner] = await Promise.all([this.findOwned(userId, keyId), this.ownerOf(userId)]);
    return this.withLimits(key, owner);
  }

  async update(userId: string, keyId: string, dto: UpdateApiKeyDto): Promise<OwnedApiKey> {
    const [key, owner] = await Promise.all([this.findOwned(userId, keyId), this.ownerOf(userId)]);
    const changes = this.changesOf(dto, owner);
    if (dto.is_active === true && key.revokedAt !== null) throw revokedConflict('reactivated');
    if (Object.keys(changes).length > 0) {
      // The revoked_at condition closes the race with a concurrent revoke.
      const criteria = dto.is_active === true ? { id: keyId, revokedAt: IsNull() } : { id: keyId };
      const result = await this.keys.update({ ...criteria, userId, deletedAt: IsNull() }, changes);
      if (result.affected === 0) throw dto.is_active === true ? revokedConflict('reactivated') : notFound();
      await this.changed(keyId);
    }
    return this.withLimits(await this.findOwned(userId, keyId), owner);
  }

  /**
   * Issues a key with the same settings and a fresh lifetime of the same length. The old key is
   * revoked at once or, with a grace period, expires at its end.
   */
  async rotate(userId: string, keyId: string, dto: RotateApiKeyDto): Promise<IssuedApiKey & { rotatedFrom: string }> {
    const owner = await this.ownerOf(userId);
    const secret = this.generator.generate();
    const key = await this.dataSource.transaction(async (manager) => {
      const old = await manager.findOne(ApiKey, {
        where: { id: keyId, userId, deletedAt: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (!old) throw notFound();
      if (old.revokedAt !== null) throw revokedConflict('rotated');
      const now = Date.now();
      const lifetimeMs = old.expiresAt === null ? null : Math.max(old.expiresAt.getTime() - old.createdAt.getTime(), 0);
      const issued = await manager.save(
        manager.create(ApiKey, {
          userId,
          name: old.name,
          environment: old.environment,
          keyPrefix: this.generator.prefixOf(secret),
          keyHash: this.hasher.hash(secret),
          scopes: old.scopes,
          rateLimitRequestsPerMinute: old.rateLimitRequestsPerMinute,
          rateLimitRequestsPerHour: old.rateLimitRequestsPerHour,
          rateLimitRequestsPerDay: old.rateLimitRequestsPerDay,
          allowedIps: old.allowedIps,
          isActive: true,
          expiresAt: lifetimeMs === null ? null : new Date(now + lifetimeMs),
          revokedAt: null,
          deletedAt: null,
          lastUsedAt: null,
          rotatedFrom: old.id,
          createdAt: new Date(now),
        }),
      );
      const retire: Partial<ApiKey> = dto.grace_period_hours
        ? { expiresAt: new Date(now + dto.grace_period_hours * HOUR_MS) }
        : { revokedAt: new Date(now), isActive: false };
      await manager.update(ApiKey, { id: old.id }, retire);
      return issued;
    });
    await this.changed(keyId);
    return { ...this.withLimits(key, owner), secret, rotatedFrom: keyId };
  }

  /** Revokes for good; revoking again changes nothing and answers the same. */
  async revoke(userId: string, keyId: string): Promise<OwnedApiKey> {
    const owner = await this.ownerOf(userId);
    const result = await this.keys
      .createQueryBuilder()
      .update(ApiKey)
      .set({ revokedAt: () => 'COALESCE(revoked_at, now())', isActive: false })
      .where('id = :keyId AND user_id = :userId AND deleted_at IS NULL', { keyId, userId })
      .execute();
    if (result.affected === 0) throw notFound();
    await this.changed(keyId);
    return this.withLimits(await this.findOwned(userId, keyId), owner);
  }

  /** Soft delete: the key is unknown from now on, its usage rows still count for the account. */
  async remove(userId: string, keyId: string): Promise<void> {
    const result = await this.keys.update(
      { id: keyId, userId, deletedAt: IsNull() },
      { deletedAt: new Date(), isActive: false },
    );
    if (result.affected === 0) throw notFound();
    await this.changed(keyId);
  }

  private changed(keyId: string): Promise<void> {
    return this.events.publish(API_KEY_CHANGED_CHANNEL, keyId);
  }

  private async ownerOf(userId: string): Promise<KeyOwner> {
    const user = await this.users.findById(userId);
    if (!user) throw new DomainException(ErrorCode.InvalidToken);
    return {
      planScopes: this.plans.scopesOf(user.planId),
      limits: this.plans.limitsFor(user),
      customLimits: this.plans.hasCustomLimits(user.planId),
    };
  }

  private withLimits(key: ApiKey, owner: KeyOwner): OwnedApiKey {
    const own = {
      minute: key.rateLimitRequestsPerMinute,
      hour: key.rateLimitRequestsPerHour,
      day: key.rateLimitRequestsPerDay,
    };
    return { key, limits: effectiveLimits(own, owner.limits, owner.customLimits) };
  }

  /** The column changes a PATCH asks for, after the same checks as creation. */
  private changesOf(dto: UpdateApiKeyDto, owner: KeyOwner): Partial<ApiKey> {
    const nulls = (['name', 'scopes', 'is_active', 'allowed_ips'] as const).filter((field) => dto[field] === null);
    if (nulls.length > 0)
      throw validationFailed(nulls.map((field) => ({ field, message: `${field} must not be null` })));
    this.checkLimits(owner, dto);
    const expiresAt = dto.expires_at == null ? dto.expires_at : new Date(dto.expires_at);
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw validationFailed([
        { field: 'expires_at', message: 'expires_at must be in the future (or null for never)' },
      ]);
    }
    const changes: Partial<ApiKey> = {};
    if (dto.scopes !== undefined) {
      changes.scopes = unique(dto.scopes);
      this.checkPlanScopes(owner, changes.scopes);
    }
    if (dto.name !== undefined) changes.name = dto.name;
    if (dto.is_active !== undefined) changes.isActive = dto.is_active;
    if (dto.allowed_ips !== undefined) changes.allowedIps = canonicalIps(dto.allowed_ips);
    if (expiresAt !== undefined) changes.expiresAt = expiresAt;
    for (const window of RATE_LIMIT_WINDOWS) {
      const value = (dto as LimitFields)[LIMIT_FIELDS[window]];
      if (value !== undefined) changes[LIMIT_COLUMNS[window]] = value;
    }
    return changes;
  }

  /** A key's own limits may not exceed a fixed plan's (custom-limit plans take any value). */
  private checkLimits(owner: KeyOwner, dto: LimitFields): void {
    if (owner.customLimits) return;
    const problems: ValidationDetail[] = [];
    for (const window of RATE_LIMIT_WINDOWS) {
      const field = LIMIT_FIELDS[window];
      const value = dto[field];
      if (value != null && value > owner.limits[window]) {
        problems.push({ field, message: `${field} must not exceed your plan's limit of ${owner.limits[window]}` });
      }
    }
    if (problems.length > 0) throw validationFailed(problems);
  }

  private checkPlanScopes(owner: KeyOwner, scopes: readonly Scope[]): void {
    const lacking = scopes.filter((scope) => !owner.planScopes.has(scope));
    if (lacking.length > 0) {
      throw new DomainException(ErrorCode.InsufficientPermissions, {
        extra: { required_scopes: lacking, reason: 'plan' },
      });
    }
  }
}

function canonicalIps(entries: readonly string[]): string[] {
  return unique(entries.map((entry) => canonicalIpRule(entry)!));
}

function revokedConflict(action: 'reactivated' | 'rotated'): DomainException {
  return new DomainException(ErrorCode.Conflict, { message: `A revoked API key cannot be ${action}` });
}
