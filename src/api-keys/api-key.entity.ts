import { RateLimitColumns } from '../rate-limit/rate-limit-columns';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Scope } from '../plans/scopes';

export const ENVIRONMENTS = ['development', 'staging', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Why a key was revoked: by its owner, by rotation, or found exposed in public (secret scanning). */
export const REVOKED_REASONS = ['revoked', 'rotated', 'exposed'] as const;
export type RevokedReason = (typeof REVOKED_REASONS)[number];

/**
 * An API key. The key itself is never stored: only its peppered hash (unique) and its first
 * 11 characters. Deletion is soft (`deleted_at`) so the account's analytics can still name the
 * key its usage rows belong to; a deleted key is unknown to every route.
 */
@Entity('api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'user_id' })
  userId: string;

  @Column('text')
  name: string;

  @Column('text')
  environment: Environment;

  @Column('text', { name: 'key_prefix' })
  keyPrefix: string;

  @Column('text', { name: 'key_hash', select: false })
  keyHash: string;

  @Column('text', { array: true })
  scopes: Scope[];

  /** The key's own limits; `null` in a window follows the owner's plan. */
  @Column(() => RateLimitColumns, { prefix: false })
  rateLimits: RateLimitColumns;

  /** Canonical addresses and CIDR ranges; empty means any address. */
  @Column('text', { name: 'allowed_ips', array: true })
  allowedIps: string[];

  /** `false` while suspended, and for ever once revoked. */
  @Column('boolean', { name: 'is_active' })
  isActive: boolean;

  @Column('timestamptz', { name: 'expires_at', nullable: true })
  expiresAt: Date | null;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column('text', { name: 'revoked_reason', nullable: true })
  revokedReason: RevokedReason | null;

  @Column('timestamptz', { name: 'deleted_at', nullable: true })
  deletedAt: Date | null;

  /** Maintained by the usage recorder. */
  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;

  /** The key this one replaced by rotation. */
  @Column('uuid', { name: 'rotated_from', nullable: true })
  rotatedFrom: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
