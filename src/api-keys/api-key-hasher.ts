import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';

/**
 * The one-way form of a key that the database stores and the cache is keyed by: HMAC-SHA-256 with
 * a server-side pepper, so a leaked table cannot be checked against guessed keys offline.
 */
@Injectable()
export class ApiKeyHasher {
  private readonly pepper: Buffer;

  constructor(@InjectConfig() config: AppConfig) {
    this.pepper = Buffer.from(config.apiKeyPepper, 'utf8');
  }

  hash(key: string): string {
    return createHmac('sha256', this.pepper).update(key, 'latin1').digest('hex');
  }
}
