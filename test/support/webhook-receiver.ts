import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** A delivery as the receiver saw it, after verifying it with the `standardwebhooks` package. */
export interface ReceivedDelivery {
  id: string;
  timestamp: number;
  body: { type: string; timestamp: string; data: Record<string, unknown> };
  /** Whether `standardwebhooks` accepted the signature. */
  verified: boolean;
  contentType: string | undefined;
}

/** What the receiver answers next: a status code, or `hang` (never answers). */
export type Reply = number | 'hang';

/**
 * A real HTTP receiver on 127.0.0.1, port 0. It answers the queued replies in order, then 204,
 * and verifies every request with the endpoint secret once `secret` is set.
 */
export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  /** Every request, answered or not (a hung one counts). */
  requests = 0;
  secret?: string;
  private replies: Reply[] = [];
  private readonly server: Server;
  private readonly hanging = new Set<IncomingMessage>();

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests += 1;
        const raw = Buffer.concat(chunks).toString('utf8');
        const headers = {
          'webhook-id': String(req.headers['webhook-id']),
          'webhook-timestamp': String(req.headers['webhook-timestamp']),
          'webhook-signature': String(req.headers['webhook-signature']),
        };
        let verified = false;
        try {
          new Webhook(this.secret ?? '').verify(raw, headers);
          verified = true;
        } catch {
          verified = false;
        }
        const reply = this.replies.shift() ?? 204;
        if (reply === 'hang') {
          this.hanging.add(req);
          return;
        }
        if (reply >= 200 && reply < 300) {
          this.received.push({
            id: headers['webhook-id'],
            timestamp: Number(headers['webhook-timestamp']),
            body: JSON.parse(raw) as ReceivedDelivery['body'],
            verified,
            contentType: req.headers['content-type'],
          });
        }
        res.statusCode = reply;
        res.end();
      });
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  /** Replies for the next requests, in order. */
  reply(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  ofType(type: string): ReceivedDelivery[] {
    return this.received.filter((delivery) => delivery.body.type === type);
  }

  async close(): Promise<void> {
    for (const req of this.hanging) req.socket.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
