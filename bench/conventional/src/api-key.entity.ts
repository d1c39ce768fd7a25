import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An API key as a typical NestJS app stores it: the SHA-256 of the key, looked up on every request. */
@Entity('conventional_api_keys')
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'key_hash', unique: true })
  keyHash: string;

  @Column({ name: 'key_prefix' })
  keyPrefix: string;

  @Column()
  name: string;

  @Column()
  environment: string;

  @Column('text', { array: true })
  scopes: string[];

  @Column()
  plan: string;

  @Column({ name: 'rate_limit_requests_per_minute', type: 'integer' })
  rateLimitPerMinute: number;

  @Column({ name: 'rate_limit_requests_per_hour', type: 'integer' })
  rateLimitPerHour: number;

  @Column({ name: 'rate_limit_requests_per_day', type: 'integer' })
  rateLimitPerDay: number;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'is_active', default: true })
  isActive: boolean;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
