import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainException, notFound, validationFailed, ValidationDetail } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { EventType, RequestContext, SYSTEM_ACTOR, SYSTEM_CONTEXT } from '../events/event-types';
import { EventsRecorder } from '../events/events-recorder';
import { PlansService } from '../plans/plans.service';
import type { Scope } from '../plans/scopes';
import { RateLimitFieldValues, settingsOfFields } from '../rate-limit/rate-limit-fields';
import { RATE_LIMIT_FIELDS, RATE_LIMIT_WINDOWS, RateLimits } from '../rate-limit/rate-limits';
import { EventBus } from '../redis/event-bus';
import { UsersService } from '../users/users.service';
import { API_KEY_CHANGED_CHANNEL } from './api-key-events';
import { ApiKeyGenerator } from './api-key-generator';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKey } from './api-key.entity';
import { ApiKeysRepository } from './api-keys.repository';
import { ApiKeyResponseDto } from './dto/api-key-response.dto';
import { CreateApiKeyDto } from './dto/create-api-key.dto';
import { ListApiKeysQueryDto } from './dto/list-api-keys-query.dto';
import { RotateApiKeyDto } from './dto/rotate-api-key.dto';
import { UpdateApiKeyDto } from './dto/update-api-key.dto';
import { canonicalIpRule } from './ip-allowlist';
import { effectiveLimits } from './key-limits';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

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

/** Where a leaked key was found (GitHub's secret-scanning report). */
export interface ExposureReport {
  url: string | null;
  source: string | null;
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
    private readonly keys: ApiKeysRepository,
    private readonly users: UsersService,
    private readonly plans: PlansService,
    private readonly generator: ApiKeyGenerator,
    private readonly hasher: ApiKeyHasher,
    private readonly events: EventBus,
    private readonly recorder: EventsRecorder,
  ) {}

  async create(userId: string, dto: CreateApiKeyDto, context: RequestContext = SYSTEM_CONTEXT): Promise<IssuedApiKey> {
    const owner = await this.ownerOf(userId);
    this.checkLimits(owner, dto);
    const scopes = unique(dto.scopes);
    this.checkPlanScopes(owner, scopes);
    const secret = this.generator.generate();
    const now = Date.now();
    const key = await this.keys.transaction(async (keys, manager) => {
      const inserted = await keys.insert({
        userId,
        name: dto.name,
        environment: dto.environment ?? 'development',
        keyPrefix: this.generator.prefixOf(secret),
        keyHash: this.hasher.hash(secret),
        scopes,
        rateLimits: { minute: null, hour: null, day: null, ...settingsOfFields(dto) },
        allowedIps: canonicalIps(dto.allowed_ips ?? []),
        isActive: true,
        expiresAt: dto.expires_in_days == null ? null : new Date(now + dto.expires_in_days * DAY_MS),
        revokedAt: null,
        revokedReason: null,
        deletedAt: null,
        lastUsedAt: null,
        rotatedFrom: null,
        createdAt: new Date(now),
      });
      await this.record(manager, context, userId, 'api_key.created', { api_key: this.eventView(inserted, owner) });
      return inserted;
    });
    return { ...this.withLimits(key, owner), secret };
  }

  async list(userId: string, query: ListApiKeysQueryDto): Promise<ApiKeyPage> {
    const filter = { environment: query.environment, isActive: query.is_active };
    const [owner, [keys, total]] = await Promise.all([
      this.ownerOf(userId),
      this.keys.findPage(userId, filter, query.limit, query.offset),
    ]);
    return { data: keys.map((key) => this.withLimits(key, owner)), total };
  }

  /** The user's key, or 404 when it does not exist, was deleted, or belongs to someone else. */
  async findOwned(userId: string, keyId: string): Promise<ApiKey> {
    const key = await this.keys.findOwned(userId, keyId);
    if (!key) throw notFound();
    return key;
  }

  async get(userId: string, keyId: string): Promise<OwnedApiKey> {
    const [key, owner] = await Promise.all([this.findOwned(userId, keyId), this.ownerOf(userId)]);
    return this.withLimits(key, owner);
  }

  async update(
    userId: string,
    keyId: string,
    dto: UpdateApiKeyDto,
    context: RequestContext = SYSTEM_CONTEXT,
  ): Promise<OwnedApiKey> {
    const [key, owner] = await Promise.all([this.findOwned(userId, keyId), this.ownerOf(userId)]);
    const changes = this.changesOf(key, dto, owner);
    const resuming = dto.is_active === true;
    if (resuming && key.revokedAt !== null) throw revokedConflict('reactivated');
    if (Object.keys(changes).length > 0) {
      const updated = await this.keys.transaction(async (keys, manager) => {
        // Resuming only a key that is not revoked closes the race with a concurrent revoke.
        if (!(await keys.updateOwned(userId, keyId, changes, resuming))) {
          throw resuming ? revokedConflict('reactivated') : notFound();
        }
        const after = (await keys.findOwned(userId, keyId))!;
        await this.record(manager, context, userId, 'api_key.updated', {
          api_key: this.eventView(after, owner),
          changes: changedFields(dto),
        });
        return after;
      });
      await this.changed(keyId);
      return this.withLimits(updated, owner);
    }
    return this.withLimits(key, owner);
  }

  /**
   * Issues a key with the same settings and a fresh lifetime of the same length. The old key is
   * revoked at once or, with a grace period, expires at its end.
   */
  async rotate(
    userId: string,
    keyId: string,
    dto: RotateApiKeyDto,
    context: RequestContext = SYSTEM_CONTEXT,
  ): Promise<IssuedApiKey & { rotatedFrom: string }> {
    const owner = await this.ownerOf(userId);
    const secret = this.generator.generate();
    const key = await this.keys.transaction(async (keys, manager) => {
      const old = await keys.lockOwned(userId, keyId);
      if (!old) throw notFound();
      if (old.revokedAt !== null) throw revokedConflict('rotated');
      const now = Date.now();
      const lifetimeMs = old.expiresAt === null ? null : Math.max(old.expiresAt.getTime() - old.createdAt.getTime(), 0);
      const issued = await keys.insert({
        userId,
        name: old.name,
        environment: old.environment,
        keyPrefix: this.generator.prefixOf(secret),
        keyHash: this.hasher.hash(secret),
        scopes: old.scopes,
        rateLimits: { ...old.rateLimits },
        allowedIps: old.allowedIps,
        isActive: true,
        expiresAt: lifetimeMs === null ? null : new Date(now + lifetimeMs),
        revokedAt: null,
        revokedReason: null,
        deletedAt: null,
        lastUsedAt: null,
        rotatedFrom: old.id,
        createdAt: new Date(now),
      });
      const retire: Partial<ApiKey> = dto.grace_period_hours
        ? { expiresAt: new Date(now + dto.grace_period_hours * HOUR_MS) }
        : { revokedAt: new Date(now), isActive: false, revokedReason: 'rotated' };
      await keys.update(old.id, retire);
      const retired = (await keys.findOwned(userId, old.id))!;
      await this.record(manager, context, userId, 'api_key.rotated', {
        api_key: this.eventView(retired, owner),
        rotated_to: issued.id,
      });
      return issued;
    });
    await this.changed(keyId);
    return { ...this.withLimits(key, owner), secret, rotatedFrom: keyId };
  }

  /** Revokes for good; revoking again changes nothing and answers the same. */
  async revoke(userId: string, keyId: string, context: RequestContext = SYSTEM_CONTEXT): Promise<OwnedApiKey> {
    const owner = await this.ownerOf(userId);
    const { key, revokedNow } = await this.keys.transaction(async (keys, manager) => {
      const current = await keys.lockOwned(userId, keyId);
      if (!current) throw notFound();
      if (current.revokedAt !== null) return { key: current, revokedNow: false };
      await keys.update(keyId, { revokedAt: new Date(), isActive: false, revokedReason: 'revoked' });
      const revoked = (await keys.findOwned(userId, keyId))!;
      await this.record(manager, context, userId, 'api_key.revoked', { api_key: this.eventView(revoked, owner) });
      return { key: revoked, revokedNow: true };
    });
    if (revokedNow) await this.changed(keyId);
    return this.withLimits(key, owner);
  }

  /** Soft delete: the key is unknown from now on, its usage rows still count for the account. */
  async remove(userId: string, keyId: string, context: RequestContext = SYSTEM_CONTEXT): Promise<void> {
    const owner = await this.ownerOf(userId);
    await this.keys.transaction(async (keys, manager) => {
      const key = await keys.lockOwned(userId, keyId);
      if (!key || !(await keys.softDeleteOwned(userId, keyId))) throw notFound();
      await this.record(manager, context, userId, 'api_key.deleted', { api_key: this.eventView(key, owner) });
    });
    await this.changed(keyId);
  }

  /**
   * A key reported exposed in public: unless already revoked (or deleted), it is revoked at once
   * with reason `exposed`, and `api_key.exposed` is recorded in the same transaction. Answers
   * whether the key is one this service issued (active or not).
   */
  async revokeExposed(secret: string, report: ExposureReport): Promise<boolean> {
    const key = await this.keys.findByHash(this.hasher.hash(secret));
    if (!key) return false;
    if (key.revokedAt !== null || key.deletedAt !== null) return true;
    const owner = await this.ownerOf(key.userId);
    const revoked = await this.keys.transaction(async (keys, manager) => {
      if (!(await keys.revokeExposed(key.id))) return false;
      const updated = (await keys.findOwned(key.userId, key.id))!;
      await this.recorder.record(manager, {
        userId: key.userId,
        type: 'api_key.exposed',
        data: { api_key: this.eventView(updated, owner), url: report.url, source: report.source },
        actor: SYSTEM_ACTOR,
      });
      return true;
    });
    if (revoked) await this.changed(key.id);
    return true;
  }

  private async record(
    manager: EntityManager,
    context: RequestContext,
    userId: string,
    type: EventType,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.recorder.record(manager, { userId, type, data, actor: context.actor, ip: context.ip });
  }

  /** `data.api_key` of an event: the key as the management routes show it. */
  private eventView(key: ApiKey, owner: KeyOwner): ApiKeyResponseDto {
    const { limits } = this.withLimits(key, owner);
    return ApiKeyResponseDto.from(key, limits);
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
    return { key, limits: effectiveLimits(key.rateLimits, owner.limits, owner.customLimits) };
  }

  /** The column changes a PATCH asks for, after the same checks as creation. */
  private changesOf(key: ApiKey, dto: UpdateApiKeyDto, owner: KeyOwner): Partial<ApiKey> {
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
    const limits = settingsOfFields(dto);
    if (Object.keys(limits).length > 0) changes.rateLimits = { ...key.rateLimits, ...limits };
    return changes;
  }

  /** A key's own limits may not exceed a fixed plan's (custom-limit plans take any value). */
  private checkLimits(owner: KeyOwner, dto: RateLimitFieldValues): void {
    if (owner.customLimits) return;
    const problems: ValidationDetail[] = [];
    for (const window of RATE_LIMIT_WINDOWS) {
      const field = RATE_LIMIT_FIELDS[window];
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

/** The response field names a PATCH changed (`data.changes` of `api_key.updated`). */
function changedFields(dto: UpdateApiKeyDto): string[] {
  return Object.entries(dto)
    .filter(([, value]) => value !== undefined)
    .map(([field]) => field);
}

function canonicalIps(entries: readonly string[]): string[] {
  return unique(entries.map((entry) => canonicalIpRule(entry)!));
}

function revokedConflict(action: 'reactivated' | 'rotated'): DomainException {
  return new DomainException(ErrorCode.Conflict, { message: `A revoked API key cannot be ${action}` });
}
