import { ApiKeyGenerator, checksumOf } from './api-key-generator';
import { crc32 } from './crc32';

describe(ApiKeyGenerator.name, () => {
  const generator = new ApiKeyGenerator();

  it('makes tt_ + 26 random + 6 checksum characters of base62', () => {
    const key = generator.generate();
    expect(key).toMatch(/^tt_[0-9A-Za-z]{32}$/);
    expect(key.slice(29)).toBe(checksumOf(key.slice(0, 29)));
    expect(generator.isWellFormed(key)).toBe(true);
    expect(generator.prefixOf(key)).toBe(key.slice(0, 11));
  });

  it('never repeats itself', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generator.generate()));
    expect(keys.size).toBe(1000);
  });

  it('writes the CRC-32 in base62 with the alphabet 0-9A-Za-z, left-padded to 6', () => {
    const body = 'tt_AbCdEfGhIjKlMnOpQrStUvWxYz';
    let value = crc32(body);
    let expected = '';
    while (value > 0) {
      expected = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'[value % 62] + expected;
      value = Math.floor(value / 62);
    }
    expect(checksumOf(body)).toBe(expected.padStart(6, '0'));
    expect(checksumOf('')).toBe('000000');
  });

  it('refuses a mistyped, truncated or invented key', () => {
    const key = generator.generate();
    const flipped = key.slice(0, 10) + (key[10] === 'a' ? 'b' : 'a') + key.slice(11);
    expect(generator.isWellFormed(flipped)).toBe(false);
    expect(generator.isWellFormed(key.slice(0, -1))).toBe(false);
    expect(generator.isWellFormed(`${key}x`)).toBe(false);
    expect(generator.isWellFormed('tt_AbCdEfGhIjKlMnOpQrStUvWxYz123456')).toBe(false);
    expect(generator.isWellFormed(`xx_${key.slice(3)}`)).toBe(false);
    expect(generator.isWellFormed('')).toBe(false);
  });
});
