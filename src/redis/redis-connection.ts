import { Logger } from '@nestjs/common';
import { createClient, createCluster, RedisClientType, RedisClusterType } from 'redis';
import type { AppConfig } from '../config/app-config';
import { withReplyTimeout } from './reply-timeout';

export type RedisCommander = RedisClientType | RedisClusterType;
export type RedisMode = 'standalone' | 'cluster';

const RECONNECT_MAX_DELAY_MS = 2000;

/**
 * One node-redis client (standalone or cluster) for commands. It never queues commands while
 * disconnected, and callers bound each reply with {@link withReplyTimeout} (`REDIS_COMMAND_TIMEOUT_MS`),
 * so a missing or hanging Redis fails fast and callers can fall back; it reconnects by itself and
 * logs each outage once.
 */
export class RedisConnection {
  private readonly logger = new Logger(RedisConnection.name);
  private up = false;
  private outageLogged = false;

  private constructor(
    readonly client: RedisCommander,
    readonly mode: RedisMode,
    readonly keyPrefix: string,
    readonly commandTimeoutMs: number,
  ) {
    client.on('ready', () => {
      if (this.outageLogged || !this.up) this.logger.log(`Redis (${mode}) connected`);
      this.up = true;
      this.outageLogged = false;
    });
    client.on('error', (error: Error) => this.markDown(error));
    client.on('end', () => (this.up = false));
  }

  static create(config: AppConfig): RedisConnection {
    const socket = {
      connectTimeout: Math.max(config.redisCommandTimeoutMs, 1000),
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, RECONNECT_MAX_DELAY_MS),
    };
    // No node-redis `commandOptions.timeout`: it arms an AbortSignal.timeout per command (measurable
    // on the hot path) and only covers the wait to be written, which disableOfflineQueue makes moot.
    const clientOptions = { socket, disableOfflineQueue: true };
    if (config.redisClusterNodes?.length) {
      const cluster = createCluster({
        rootNodes: config.redisClusterNodes.map((node) => ({ url: `redis://${node}` })),
        defaults: clientOptions,
      }) as unknown as RedisClusterType;
      return new RedisConnection(cluster, 'cluster', config.redisKeyPrefix, config.redisCommandTimeoutMs);
    }
    const client = createClient({ url: config.redisUrl, ...clientOptions }) as unknown as RedisClientType;
    return new RedisConnection(client, 'standalone', config.redisKeyPrefix, config.redisCommandTimeoutMs);
  }

  /**
   * Starts connecting and waits for it at most `waitMs`: a Redis that is down at start-up must not
   * stop the service (limits run in memory until it comes; the client keeps retrying).
   */
  async connect(waitMs: number): Promise<void> {
    const connecting = this.client.connect().then(
      () => undefined,
      (error: Error) => this.markDown(error),
    );
    await withReplyTimeout(connecting, waitMs).catch((error: Error) => this.markDown(error));
  }

  /** Whether the last thing heard from Redis was good. */
  get isUp(): boolean {
    return this.up;
  }

  markDown(error: Error): void {
    this.up = false;
    if (this.outageLogged) return;
    this.outageLogged = true;
    this.logger.warn(`Redis (${this.mode}) unavailable, running degraded until it returns: ${error.message}`);
  }

  async ping(): Promise<boolean> {
    try {
      const reply: Promise<unknown> =
        this.mode === 'cluster'
          ? (this.client as RedisClusterType).sendCommand(undefined, true, ['PING'])
          : (this.client as RedisClientType).ping();
      await withReplyTimeout(reply, this.commandTimeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    try {
      await this.client.close();
    } catch {
      this.client.destroy();
    }
  }
}
