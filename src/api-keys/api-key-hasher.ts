import { Injectable } from '@nestjs/common';
import { hash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';

/** SHA-256's block size, which HMAC pads its key to. */
const BLOCK_BYTES = 64;

/** HMAC's key, padded to one block and XOR-ed with `pad` (RFC 2104). */
function paddedKey(pepper: Buffer, pad: number, room: number): Buffer {
  const key = pepper.length > BLOCK_BYTES ? hash('sha256', pepper, 'buffer') : pepper;
  const padded = Buffer.alloc(BLOCK_BYTES + room);
  for (let i = 0; i < BLOCK_BYTES; i++) padded[i] = (key[i] ?? 0) ^ pad;
  return padded;
}

/**
 * The one-way form of a key that the database stores and the cache is keyed by: HMAC-SHA-256 with
 * a server-side pepper, so a leaked table cannot be checked against guessed keys offline.
 *
 * Every API request hashes its key, so the HMAC is computed from two one-shot `crypto.hash` calls over
 * pads prepared once (RFC 2104) instead of setting up a keyed context per call; the spec checks it
 * against `createHmac` and RFC 4231.
 */
@Injectable()
export class ApiKeyHasher {
  private readonly pepper: Buffer;
  /** (pepper ^ ipad) followed by room for the key. */
  private inner: Buffer;
  /** (pepper ^ opad) followed by the inner digest. */
  private readonly outer: Buffer;

  constructor(@InjectConfig() config: AppConfig) {
    this.pepper = Buffer.from(config.apiKeyPepper, 'utf8');
    this.inner = paddedKey(this.pepper, 0x36, 64);
    this.outer = paddedKey(this.pepper, 0x5c, 32);
  }

  /** Hex HMAC-SHA-256 of `key` (read as latin1: keys are ASCII). */
  hash(key: string): string {
    if (BLOCK_BYTES + key.length > this.inner.length) this.inner = paddedKey(this.pepper, 0x36, key.length);
    const end = BLOCK_BYTES + this.inner.write(key, BLOCK_BYTES, 'latin1');
    hash('sha256', this.inner.subarray(0, end), 'buffer').copy(this.outer, BLOCK_BYTES);
    return hash('sha256', this.outer, 'hex');
  }
}
