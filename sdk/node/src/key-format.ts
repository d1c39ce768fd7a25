// The service's key format, checked here so a mistyped key fails before any request: `tt_`, 26 random
// base62 characters, then the CRC-32 (IEEE, as zlib computes it) of those 29 characters in base62
// (alphabet 0-9A-Za-z), left-padded with `0` to 6 characters. Written out because browsers have no zlib.
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const KEY_SHAPE = /^tt_[0-9A-Za-z]{32}$/;
const CHECKSUM_LENGTH = 6;

function crc32(text: string): number {
  let crc = ~0;
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i);
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** Six base62 digits, most significant first (2^32 < 62^6, so six always suffice). */
function base62(value: number): string {
  return Array.from(
    { length: CHECKSUM_LENGTH },
    (_, i) => BASE62[Math.floor(value / 62 ** (CHECKSUM_LENGTH - 1 - i)) % 62],
  ).join('');
}

/** Whether `key` has the shape and the checksum of a key this service issues. */
export function isWellFormedApiKey(key: string): boolean {
  if (!KEY_SHAPE.test(key)) return false;
  const body = key.slice(0, -CHECKSUM_LENGTH);
  return base62(crc32(body)) === key.slice(-CHECKSUM_LENGTH);
}
