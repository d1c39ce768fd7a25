import { Injectable } from '@nestjs/common';
import type { LookupFunction } from 'node:net';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookTarget } from './webhook-url-policy';

export interface SendResult {
  /** The receiver's status code, when it answered in time. */
  statusCode?: number;
  /** Why the attempt failed without a status (timeout, connection error). */
  error?: string;
}

/**
 * Posts one delivery to the address that was checked: the socket's DNS look-up is replaced by one
 * that answers that address (no second resolution, so no DNS rebinding), while the Host header and
 * the TLS server name (and certificate check) stay the URL's host name. No connection reuse, so a
 * pooled socket to an earlier address is never used.
 */
@Injectable()
export class WebhookSender {
  send(target: WebhookTarget, headers: Record<string, string>, body: string, timeoutMs: number): Promise<SendResult> {
    const pinned: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const request = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      const req = request(target.url, {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: pinned,
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      });
      req.on('response', (res) => {
        // The body does not matter; reading it lets the socket close cleanly.
        res.resume();
        res.on('end', () => resolve({ statusCode: res.statusCode }));
        res.on('error', () => resolve({ statusCode: res.statusCode }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        resolve({
          error:
            error.name === 'AbortError' || error.name === 'TimeoutError'
              ? `No answer within ${timeoutMs} ms`
              : `Connection failed: ${error.code ?? error.message}`,
        });
      });
      req.end(body);
    });
  }
}
