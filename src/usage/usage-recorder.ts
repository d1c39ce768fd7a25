import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onResponseHookHandler,
  RouteOptions,
} from 'fastify';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';
import { LastUsedTracker } from './last-used-tracker';
import { UsageBuffer } from './usage-buffer';
import { UsagePartitions } from './usage-partitions';
import { UsageWriter } from './usage-writer';
import { UsageRepository } from './usage.repository';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';

const LAST_USED_INTERVAL_MS = 1_000;

/**
 * Records one usage row per request that carried a usable key (`request.apiKey`), whatever its
 * outcome. A Fastify `onResponse` hook rather than a Nest interceptor: guards run before
 * interceptors, so an interceptor never sees the 403 and 429 the key guards answer; the hook runs
 * once per response, after every guard, filter and handler. The row goes to {@link UsageBuffer};
 * the request never waits for the database.
 *
 * Each route gets its own hook, made when the route is registered and knowing its template: the
 * request path then reads no route metadata (Fastify's `request.routeOptions` builds an object
 * on every read). Nest registers the routes after building the providers and before
 * `onModuleInit`, hence the `onRoute` hook is added here, in the constructor.
 */
@Injectable()
export class UsageRecorder implements OnModuleInit {
  private readonly logger = new Logger(UsageRecorder.name);
  readonly buffer: UsageBuffer;
  private readonly lastUsed: LastUsedTracker;
  private lastUsedTimer?: NodeJS.Timeout;
  private lastUsedWriting = false;
  private lastUsedFailing = false;
  /** How long shutdown keeps retrying buffered rows while the database is unreachable. */
  private readonly shutdownFlushTimeoutMs: number;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    usage: UsageRepository,
    apiKeys: ApiKeysRepository,
    partitions: UsagePartitions,
    @InjectConfig() config: AppConfig,
  ) {
    // Half the shutdown bound: what is left covers the in-flight requests and closing the stores.
    this.shutdownFlushTimeoutMs = Math.floor(config.shutdownTimeoutMs / 2);
    const writer = new UsageWriter((batchId, parameters) => usage.insertEncoded(batchId, parameters), {
      ensurePartitions: (daysBack) => partitions.maintain(daysBack),
      retentionDays: config.usageRetentionDays,
      logger: this.logger,
    });
    this.lastUsed = new LastUsedTracker((keyIds, usedAtMs) => apiKeys.updateLastUsed(keyIds, usedAtMs));
    adapterHost.httpAdapter.getInstance<FastifyInstance>().addHook('onRoute', (route) => this.attachTo(route));
    this.buffer = new UsageBuffer({
      maxRows: config.usageBufferMaxRows,
      batchSize: config.usageFlushBatchSize,
      flushIntervalMs: config.usageFlushIntervalMs,
      // A backlog drains over two PostgreSQL connections; the embedded database has one.
      writers: config.databaseUrl ? 2 : 1,
      logger: this.logger,
      write: async (rows, batchId) => {
        await writer.insert(rows, batchId);
        this.lastUsed.note(rows);
      },
    });
  }

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    // Fastify runs onClose hooks last-registered first: this one runs after the server has closed
    // and its in-flight requests have answered, and before the database closes (Nest's
    // onApplicationShutdown), so the rows of requests that finished during shutdown are written too.
    // Flushing any earlier (while the listener is open) would chase rows that keep arriving.
    fastify.addHook('onClose', async () => {
      this.buffer.stop();
      clearInterval(this.lastUsedTimer);
      await this.flushAll();
    });
    this.buffer.start();
    this.lastUsedTimer = setInterval(() => void this.writeLastUsed(false), LAST_USED_INTERVAL_MS).unref();
  }

  private attachTo(route: RouteOptions): void {
    const template = route.url;
    const recordUsage: onResponseHookHandler = (
      request: FastifyRequest,
      reply: FastifyReply,
      done: HookHandlerDoneFunction,
    ): void => {
      const key = request.apiKey;
      if (key !== undefined) {
        this.buffer.record({
          apiKeyId: key.id,
          userId: key.userId,
          method: request.method,
          route: template,
          statusCode: reply.statusCode,
          responseTimeMs: reply.elapsedTime,
          clientIp: request.ip,
          createdAt: Date.now(),
        });
      }
      done();
    };
    const own = route.onResponse;
    route.onResponse = own === undefined ? [recordUsage] : [...(Array.isArray(own) ? own : [own]), recordUsage];
  }

  private async flushAll(): Promise<void> {
    await this.buffer.drain(this.shutdownFlushTimeoutMs);
    await this.writeLastUsed(true);
  }

  private async writeLastUsed(everything: boolean): Promise<void> {
    if (this.lastUsedWriting && !everything) return;
    this.lastUsedWriting = true;
    try {
      await this.lastUsed.write(Date.now(), everything);
      this.lastUsedFailing = false;
    } catch (error) {
      if (!this.lastUsedFailing) this.logger.warn(`last_used_at not updated, will retry: ${(error as Error).message}`);
      this.lastUsedFailing = true;
    } finally {
      this.lastUsedWriting = false;
    }
  }
}
