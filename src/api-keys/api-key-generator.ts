import { Injectable } from '@nestjs/common';
import { randomInt } from 'node:crypto';
import { crc32 } from './crc32';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const API_KEY_PREFIX = 'tt_';
const RANDOM_LENGTH = 26;
const CHECKSUM_LENGTH = 6;
const KEY_LENGTH = API_KEY_PREFIX.length + RANDOM_LENGTH + CHECKSUM_LENGTH;
/** `key_prefix`: enough to recognise a key in a list, far too little to guess it. */
export const KEY_PREFIX_LENGTH = 11;
const KEY_SHAPE = /^tt_[0-9A-Za-z]{32}$/;

/** CRC-32 in base62, left-padded with `0` to six characters (2^32 < 62^6). */
export function checksumOf(body: string): string {
  let value = crc32(body);
  let out = '';
  do {
    out = BASE62[value % 62] + out;
    value = Math.floor(value / 62);
  } while (value > 0);
  return out.padStart(CHECKSUM_LENGTH, '0');
}

/**
 * API key material: `tt_` + 26 cryptographically random base62 characters + a 6-character
 * CRC-32 checksum of what precedes it, so a mistyped or invented key is refused without a
 * database look-up (the scheme GitHub's tokens use).
 */
@Injectable()
export class ApiKeyGenerator {
  generate(): string {
    let body = API_KEY_PREFIX;
    // randomInt draws without modulo bias.
    for (let i = 0; i < RANDOM_LENGTH; i++) body += BASE62[randomInt(62)];
    return body + checksumOf(body);
  }

  isWellFormed(candidate: string): boolean {
    if (candidate.length !== KEY_LENGTH || !KEY_SHAPE.test(candidate)) return false;
    const body = candidate.slice(0, KEY_LENGTH - CHECKSUM_LENGTH);
    return checksumOf(body) === candidate.slice(KEY_LENGTH - CHECKSUM_LENGTH);
  }

  prefixOf(key: string): string {
    return key.slice(0, KEY_PREFIX_LENGTH);
  }
}
