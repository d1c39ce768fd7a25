import { createHmac, randomBytes } from 'node:crypto';
import type { AppConfig } from '../config/app-config';
import { ApiKeyHasher } from './api-key-hasher';

const hasherWith = (pepper: string): ApiKeyHasher => new ApiKeyHasher({ apiKeyPepper: pepper } as AppConfig);

describe(ApiKeyHasher.name, () => {
  it('gives RFC 4231 HMAC-SHA-256 (test case 2)', () => {
    expect(hasherWith('Jefe').hash('what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('matches createHmac for peppers and keys of every length around the block size, one after another', () => {
    for (const pepperLength of [1, 32, 63, 64, 65, 200]) {
      const pepper = randomBytes(pepperLength).toString('hex').slice(0, pepperLength);
      const hasher = hasherWith(pepper);
      for (const keyLength of [0, 1, 35, 64, 100, 1000, 35]) {
        const key = randomBytes(keyLength).toString('base64').slice(0, keyLength);
        expect(hasher.hash(key)).toBe(
          createHmac('sha256', Buffer.from(pepper, 'utf8')).update(key, 'latin1').digest('hex'),
        );
      }
    }
  });
});
