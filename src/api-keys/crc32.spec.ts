import { crc32 } from './crc32';

describe(crc32.name, () => {
  it.each([
    ['', 0x00000000],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ])('matches the zlib value for %j', (input, expected) => {
    expect(crc32(input)).toBe(expected);
  });
});
