import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, FindOptionsWhere, IsNull, Repository } from 'typeorm';
import type { PlanId } from '../plans/plan.entity';
import type { Scope } from '../plans/scopes';
import type { RateLimitSettings } from '../rate-limit/rate-limits';
import { ApiKey, Environment } from './api-key.entity';

/** A key (not deleted) as the request path needs it, with its owner's plan and custom limits. */
export interface KeyWithOwner {
  id: string;
  userId: string;
  keyPrefix: string;
  name: string;
  environment: Environment;
  scopes: Scope[];
  limits: RateLimitSettings;
  allowedIps: string[];
  isActive: boolean;
  expiresAt: Date | null;
  revokedAt: Date | null;
  owner: { planId: PlanId; rateLimits: RateLimitSettings };
}

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

const UPDATE_LAST_USED_SQL = `
  UPDATE api_keys AS k SET last_used_at = to_timestamp(used.used_ms / 1000)
  FROM unnest($1::uuid[], $2::float8[]) AS used (id, used_ms)
  WHERE k.id = used.id AND (k.last_used_at IS NULL OR k.last_used_at < to_timestamp(used.used_ms / 1000))`;

/** The columns of a key being issued (the database fills in the rest). */
export type NewApiKey = Omit<ApiKey, 'id' | 'updatedAt'>;

export interface ApiKeyFilter {
  environment?: Environment;
  isActive?: boolean;
}

/** Every query of the `api_keys` table. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  /** Runs `work` in one transaction, with a repository bound to it (and its manager, for events). */
  transaction<T>(work: (keys: ApiKeysRepository, manager: EntityManager) => Promise<T>): Promise<T> {
    return this.keys.manager.transaction((manager) =>
      work(new ApiKeysRepository(manager.getRepository(ApiKey)), manager),
    );
  }

  async findByHashWithOwner(hash: string): Promise<KeyWithOwner | undefined> {
    const rows: KeyWithOwnerRow[] = await this.keys.query(KEY_WITH_OWNER_SQL, [hash]);
    const row = rows[0];
    if (row === undefined) return undefined;
    return {
      id: row.id,
      userId: row.user_id,
      keyPrefix: row.key_prefix,
      name: row.name,
      environment: row.environment,
      scopes: row.scopes,
      limits: { minute: row.minute, hour: row.hour, day: row.day },
      allowedIps: row.allowed_ips,
      isActive: row.is_active,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
      owner: {
        planId: row.plan_id,
        rateLimits: { minute: row.owner_minute, hour: row.owner_hour, day: row.owner_day },
      },
    };
  }

  insert(key: NewApiKey): Promise<ApiKey> {
    return this.keys.save(this.keys.create(key));
  }

  /** A page of the user's keys (not deleted), newest first, and how many match. */
  findPage(userId: string, filter: ApiKeyFilter, limit: number, offset: number): Promise<[ApiKey[], number]> {
    const where: FindOptionsWhere<ApiKey> = { userId, deletedAt: IsNull() };
    if (filter.environment !== undefined) where.environment = filter.environment;
    if (filter.isActive !== undefined) where.isActive = filter.isActive;
    return this.keys.findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, take: limit, skip: offset });
  }

  /** The user's key, unless it was deleted or is someone else's. */
  findOwned(userId: string, keyId: string): Promise<ApiKey | null> {
    return this.keys.findOneBy({ id: keyId, userId, deletedAt: IsNull() });
  }

  /** {@link findOwned}, locked for the rest of the transaction. */
  lockOwned(userId: string, keyId: string): Promise<ApiKey | null> {
    return this.keys.findOne({
      where: { id: keyId, userId, deletedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** Changes the user's key (not deleted; with `unlessRevoked`, not revoked either). Whether a key changed. */
  async updateOwned(userId: string, keyId: string, changes: Partial<ApiKey>, unlessRevoked = false): Promise<boolean> {
    const criteria: FindOptionsWhere<ApiKey> = { id: keyId, userId, deletedAt: IsNull() };
    if (unlessRevoked) criteria.revokedAt = IsNull();
    const result = await this.keys.update(criteria, changes);
    return result.affected !== 0;
  }

  async update(keyId: string, changes: Partial<ApiKey>): Promise<void> {
    await this.keys.update({ id: keyId }, changes);
  }

  /** Any key with this hash, revoked and deleted ones included. */
  findByHash(hash: string): Promise<ApiKey | null> {
    return this.keys.findOneBy({ keyHash: hash });
  }

  /** Revokes a key found exposed, unless it is revoked or deleted already. Whether it was revoked now. */
  async revokeExposed(keyId: string): Promise<boolean> {
    const result = await this.keys
      .createQueryBuilder()
      .update(ApiKey)
      .set({ revokedAt: () => 'now()', isActive: false, revokedReason: 'exposed' })
      .where('id = :keyId AND revoked_at IS NULL AND deleted_at IS NULL', { keyId })
      .execute();
    return result.affected !== 0;
  }

  /** Soft delete (the row stays for the account's analytics). Whether the key existed. */
  softDeleteOwned(userId: string, keyId: string): Promise<boolean> {
    return this.updateOwned(userId, keyId, { deletedAt: new Date(), isActive: false });
  }

  /** Every key the user ever had, deleted ones included: what usage rows are named by. */
  findAllOfUser(userId: string): Promise<Pick<ApiKey, 'id' | 'keyPrefix' | 'name'>[]> {
    return this.keys.find({ select: { id: true, keyPrefix: true, name: true }, where: { userId } });
  }

  /** The user's keys that work now: not deleted, revoked, suspended or expired. */
  countUsable(userId: string): Promise<number> {
    return this.keys
      .createQueryBuilder('k')
      .where('k.user_id = :userId AND k.deleted_at IS NULL AND k.revoked_at IS NULL AND k.is_active', { userId })
      .andWhere('(k.expires_at IS NULL OR k.expires_at > now())')
      .getCount();
  }

  /** Moves each key's `last_used_at` forward to its time (epoch ms), never back. */
  async updateLastUsed(keyIds: readonly string[], usedAtMs: readonly number[]): Promise<void> {
    await this.keys.query(UPDATE_LAST_USED_SQL, [keyIds, usedAtMs]);
  }
}
