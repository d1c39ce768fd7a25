import { Injectable } from '@nestjs/common';
import { createPublicKey, KeyObject, verify } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.module';

/**
 * GitHub's secret-scanning signature: ECDSA P-256 with SHA-256 over the raw body, the signature
 * base64 DER, checked with the public key of the given id from SECRET_SCANNING_PUBLIC_KEYS.
 */
@Injectable()
export class ReportSignature {
  private readonly keys?: Map<string, KeyObject>;

  constructor(@InjectConfig() config: AppConfig) {
    const configured = config.secretScanningPublicKeys;
    if (configured) {
      this.keys = new Map(Object.entries(configured).map(([id, pem]) => [id, createPublicKey(pem)]));
    }
  }

  /** Whether reports are accepted at all (SECRET_SCANNING_PUBLIC_KEYS set). */
  get enabled(): boolean {
    return this.keys !== undefined;
  }

  isValid(body: Buffer, keyId: string | undefined, signature: string | undefined): boolean {
    const key = keyId === undefined ? undefined : this.keys?.get(keyId);
    if (!key || !signature) return false;
    try {
      return verify('sha256', body, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  }
}
