import { Injectable, OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { DomainException } from '../common/errors/domain.exception';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { PlansService } from '../plans/plans.service';
import { EventBus } from '../redis/event-bus';
import { USER_CHANGED_CHANNEL } from '../users/user-events';
import { API_KEY_CHANGED_CHANNEL } from './api-key-events';
import { ApiKeyGenerator } from './api-key-generator';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKeysRepository, KeyWithOwner } from './api-keys.repository';
import type { AuthenticatedApiKey } from './authenticated-api-key';
import { IpAllowlist } from './ip-allowlist';
import { effectiveLimits } from './key-limits';
import { VerifiedApiKey, VerifiedKeyCache } from './verified-key-cache';

export type InvalidKeyReason = 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'inactive';

export const invalidApiKey = (reason: InvalidKeyReason, hint?: string): DomainException =>
  new DomainException(ErrorCode.InvalidApiKey, { extra: hint === undefined ? { reason } : { reason, hint } });

/** A dashboard JWT sent where a key belongs: the one mistake worth a hint in the 401. */
const LOOKS_LIKE_JWT = /^eyJ[\w-]*\.[\w-]+\.[\w-]*$/;
export const API_KEY_HINT = 'This route takes an API key (tt_...), not a dashboard JWT';

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
    private readonly keys: ApiKeysRepository,
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
    if (!this.generator.isWellFormed(token)) {
      throw invalidApiKey('malformed', LOOKS_LIKE_JWT.test(token) ? API_KEY_HINT : undefined);
    }

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
   * One database look-up per key at a time: requests in flight with the same key share it. A look-up
   * that started before an eviction is not joined: it may have read what was just changed.
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
    const key = await this.keys.findByHashWithOwner(hash);
    if (key === undefined) {
      this.cache.forget(hash);
      throw invalidApiKey('unknown');
    }
    const verified = this.toVerified(key);
    this.cache.set(hash, verified, ticket, now);
    return verified;
  }

  private toVerified(key: KeyWithOwner): VerifiedApiKey {
    const ownerLimits = this.plans.limitsFor(key.owner);
    const apiKey: AuthenticatedApiKey = {
      id: key.id,
      userId: key.userId,
      keyPrefix: key.keyPrefix,
      name: key.name,
      environment: key.environment,
      scopes: new Set(key.scopes),
      planScopes: this.plans.scopesOf(key.owner.planId),
      planId: key.owner.planId,
      limits: effectiveLimits(key.limits, ownerLimits, this.plans.hasCustomLimits(key.owner.planId)),
      allowedIps: key.allowedIps,
      expiresAt: key.expiresAt,
    };
    return {
      apiKey,
      revoked: key.revokedAt !== null,
      active: key.isActive,
      expiresAtMs: key.expiresAt === null ? Infinity : key.expiresAt.getTime(),
      ipAllowlist: IpAllowlist.compile(key.allowedIps),
    };
  }
}
