import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { RedisConnection } from './redis-connection';
import { withReplyTimeout } from './reply-timeout';

export type EventHandler = (message: string) => void;

/**
 * Broadcast of small events (e.g. "API key changed") to every running instance. Handlers on the
 * publishing instance run synchronously inside `publish`, so a change is visible there at once;
 * other instances get it through Redis pub/sub.
 */
export abstract class EventBus {
  abstract publish(channel: string, message: string): Promise<void>;
  abstract subscribe(channel: string, handler: EventHandler): Promise<void>;
  abstract close(): Promise<void>;
}

/** Single-process stand-in used on the embedded defaults. */
export class InProcessEventBus extends EventBus {
  protected readonly local = new EventEmitter().setMaxListeners(0);

  publish(channel: string, message: string): Promise<void> {
    this.local.emit(channel, message);
    return Promise.resolve();
  }

  subscribe(channel: string, handler: EventHandler): Promise<void> {
    this.local.on(channel, handler);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.local.removeAllListeners();
    return Promise.resolve();
  }
}

const SEPARATOR = '|';

/** Redis pub/sub on a dedicated subscriber connection; messages carry the sender so it skips its own. */
export class RedisEventBus extends InProcessEventBus {
  private readonly logger = new Logger(RedisEventBus.name);
  private readonly instanceId = randomUUID();
  private subscriber?: RedisConnection['client'];
  private subscriberConnecting?: Promise<unknown>;

  constructor(private readonly connection: RedisConnection) {
    super();
  }

  override async publish(channel: string, message: string): Promise<void> {
    await super.publish(channel, message);
    try {
      const reply = this.connection.client.publish(
        this.connection.keyPrefix + channel,
        this.instanceId + SEPARATOR + message,
      );
      await withReplyTimeout(reply, this.connection.commandTimeoutMs);
    } catch (error) {
      this.logger.warn(`Could not broadcast on ${channel}: ${(error as Error).message}`);
    }
  }

  /**
   * Registers at once; the Redis subscription is made in the background (queued until the
   * subscriber connects), so a Redis that is down at start-up does not stop the service.
   */
  override async subscribe(channel: string, handler: EventHandler): Promise<void> {
    await super.subscribe(channel, handler);
    this.subscribeRemote(channel).catch((error: Error) =>
      this.logger.warn(
        `Could not subscribe to ${channel}; changes from other instances wait for cache expiry: ${error.message}`,
      ),
    );
  }

  private async subscribeRemote(channel: string): Promise<void> {
    const subscriber = await this.subscriberClient();
    await subscriber.subscribe(this.connection.keyPrefix + channel, (payload: string) => {
      const at = payload.indexOf(SEPARATOR);
      if (payload.slice(0, at) !== this.instanceId) this.local.emit(channel, payload.slice(at + 1));
    });
  }

  override async close(): Promise<void> {
    await super.close();
    await this.subscriber?.close().catch(() => this.subscriber?.destroy());
  }

  private async subscriberClient(): Promise<RedisConnection['client']> {
    if (!this.subscriber) {
      // Unlike the command client, the subscriber queues while offline: SUBSCRIBE goes out on connect.
      const subscriber = this.connection.client.duplicate({ disableOfflineQueue: false });
      subscriber.on('error', () => undefined);
      this.subscriber = subscriber;
      // node-redis re-subscribes after a reconnect; until then, cache TTLs bound staleness.
      this.subscriberConnecting = subscriber.connect().catch(() => undefined);
    }
    // A cluster client can only subscribe once it has read the slot map.
    if (this.connection.mode === 'cluster') await this.subscriberConnecting;
    return this.subscriber;
  }
}
