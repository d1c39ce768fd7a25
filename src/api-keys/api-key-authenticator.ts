import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import type { PlanId } from '../plans/plan.entity';
import { PlansService } from '../plans/plans.service';
import type { Scope } from '../plans/scopes';
import { EventBus } from '../redis/event-bus';
import { USER_CHANGED_CHANNEL } from '../users/user-events';
import { API_KEY_CHANGED_CHANNEL } from './api-key-events';
import { ApiKeyGenerator } from './api-key-generator';
import { ApiKeyHasher } from './api-key-hasher';
import type { Environment } from './api-key.entity';
import type { AuthenticatedApiKey } from './authenticated-api-key';
import { IpAllowlist } from './ip-allowlist';
import { effectiveLimits } from './key-limits';
import { VerifiedApiKey, VerifiedKeyCache } from './verified-key-cache';

export type InvalidKeyReason = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'inactive';

export const invalidApiKey = (reason: InvalidKeyReason): DomainException =>
  new DomainException(ErrorCode.InvalidApiKey, { extra: { reason } });

/** One row of the look-up: the key (not deleted) with what its owner's plan says. */
interface KeyWithOwnerRow {
  id: string;
  user_id: string;
  key_prefix: string;
  name: string;
  environment: Environment;
  scopes: Scope[];
  minute: number | null;
  hour: number | null;
  day: number | null;
  allowed_ips: string[];
  is_active: boolean;
  expires_at: Date | null;
  revoked_at: Date | null;
  plan_id: PlanId;
  owner_minute: number | null;
  owner_hour: number | null;
  owner_day: number | null;
}

const KEY_WITH_OWNER_SQL = `
  SELECT k.id, k.user_id, k.key_prefix, k.name, k.environment, k.scopes, k.allowed_ips, k.is_active,
         k.expires_at, k.revoked_at,
         k.rate_limit_requests_per_minute AS minute, k.rate_limit_requests_per_hour AS hour,
         k.rate_limit_requests_per_day AS day,
         u.plan_id, u.rate_limit_requests_per_minute AS owner_minute,
         u.rate_limit_requests_per_hour AS owner_hour, u.rate_limit_requests_per_day AS owner_day
  FROM api_keys k JOIN users u ON u.id = k.user_id
  WHERE k.key_hash = $1 AND k.deleted_at IS NULL`;

const BEARER_SCHEME = /^bearer(?:[ \t]|$)/i;

/** The credential of a `Bearer` Authorization header (`''` when there is none). */
function bearerCredential(authorization: string | undefined): string {
  return authorization !== undefined && BEARER_SCHEME.test(authorization) ? authorization.slice(7).trim() : '';
}

/**
 * The request path of an API key, up to and including the IP allowlist: the contract's checks in
 * its order, each failure with its `reason`. A cached key costs one HMAC and a Map look-up, with
 * no database round trip; every instance evicts a key when it (or its owner's plan) changes. When
 * an entry's TTL runs out, it is still served while one background look-up reloads it.
 */
@Injectable()
export class ApiKeyAuthenticator implements OnModuleInit {
  private readonly cache: VerifiedKeyCache;
  /** Look-ups in flight by key hash, with the cache's eviction count when each started. */
  private readonly loading = new Map<string, { ticket: number; result: Promise<VerifiedApiKey> }>();

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly generator: ApiKeyGenerator,
    private readonly hasher: ApiKeyHasher,
    private readonly plans: PlansService,
    private readonly events: EventBus,
  ) {
    this.cache = new VerifiedKeyCache(config.apiKeyCacheMaxEntries, config.apiKeyCacheTtlMs);
  }

  async onModuleInit(): Promise<void> {
    await this.events.subscribe(API_KEY_CHANGED_CHANNEL, (keyId) => this.cache.evictKey(keyId));
    await this.events.subscribe(USER_CHANGED_CHANNEL, (userId) => this.cache.evictUser(userId));
  }

  /**
   * Authenticates the request's key and attaches it as `request.apiKey` once it is usable (so a
   * request refused by the allowlist still counts as that key's usage), then applies `allowed_ips`.
   */
  async authenticate(request: FastifyRequest): Promise<AuthenticatedApiKey> {
    const token = bearerCredential(request.headers.authorization);
    if (token === '') throw invalidApiKey('missing');
    if (!this.generator.isWellFormed(token)) throw invalidApiKey('malformed');

    const hash = this.hasher.hash(token);
    const now = Date.now();
    const cached = this.cache.get(hash, now);
    if (cached !== undefined && cached.freshUntil <= now) this.refresh(hash, now);
    const verified = cached?.value ?? (await this.load(hash, now));
    if (verified.revoked) throw invalidApiKey('revoked');
    if (!verified.active) throw invalidApiKey('inactive');
    if (verified.expiresAtMs <= now) throw invalidApiKey('expired');

    request.apiKey = verified.apiKey;
    if (verified.ipAllowlist !== null && !verified.ipAllowlist.allows(request.ip)) {
      throw new DomainException(ErrorCode.IpNotAllowed);
    }
    return verified.apiKey;
  }

  /**
   * One database look-up per key at a time. When a cached entry runs out under load, every request
   * in flight with that key misses at once; they now share one query (the benchmark saw ~50
   * identical look-ups per expiry at 50 connections). A look-up that started before an eviction
   * is not joined: it may have read what was just changed.
   */
  private load(hash: string, now: number): Promise<VerifiedApiKey> {
    const ticket = this.cache.ticket();
    const pending = this.loading.get(hash);
    if (pending !== undefined && pending.ticket === ticket) return pending.result;
    const result = this.loadFromDatabase(hash, now, ticket).finally(() => {
      if (this.loading.get(hash)?.result === result) this.loading.delete(hash);
    });
    this.loading.set(hash, { ticket, result });
    return result;
  }

  /** Reloads a stale entry behind the request that found it (joined by the others meanwhile). */
  private refresh(hash: string, now: number): void {
    this.load(hash, now).catch(() => undefined);
  }

  private async loadFromDatabase(hash: string, now: number, ticket: number): Promise<VerifiedApiKey> {
    const rows: KeyWithOwnerRow[] = await this.dataSource.query(KEY_WITH_OWNER_SQL, [hash]);
    if (rows.length === 0) {
      this.cache.forget(hash);
      throw invalidApiKey('unknown');
    }
    const verified = this.toVerified(rows[0]);
    this.cache.set(hash, verified, ticket, now);
    return verified;
  }

  private toVerified(row: KeyWithOwnerRow): VerifiedApiKey {
    const ownerLimits = this.plans.limitsFor({
      planId: row.plan_id,
      rateLimitRequestsPerMinute: row.owner_minute,
      rateLimitRequestsPerHour: row.owner_hour,
      rateLimitRequestsPerDay: row.owner_day,
    });
    const apiKey: AuthenticatedApiKey = {
      id: row.id,
      userId: row.user_id,
      keyPrefix: row.key_prefix,
      name: row.name,
      environment: row.environment,
      scopes: new Set(row.scopes),
      planScopes: this.plans.scopesOf(row.plan_id),
      planId: row.plan_id,
      limits: effectiveLimits(
        { minute: row.minute, hour: row.hour, day: row.day },
        ownerLimits,
        this.plans.hasCustomLimits(row.plan_id),
      ),
      allowedIps: row.allowed_ips,
      expiresAt: row.expires_at,
    };
    return {
      apiKey,
      revoked: row.revoked_at !== null,
      active: row.is_active,
      expiresAtMs: row.expires_at === null ? Infinity : row.expires_at.getTime(),
      ipAllowlist: IpAllowlist.compile(row.allowed_ips),
    };
  }
}
