import type { ValidationDetail } from '../errors/domain.exception';

/** Limits that keep any one request body cheap to validate, checked before class-validator runs. */
export interface JsonLimits {
  /** Deepest nesting of objects and arrays (the body itself is depth 1). */
  maxDepth: number;
  /** Object keys over the whole body (no DTO has more than a few dozen fields). */
  maxKeys: number;
  /** Array items over the whole body (a playlist takes up to 10,000 track ids at once). */
  maxItems: number;
}

export const JSON_LIMITS: JsonLimits = { maxDepth: 32, maxKeys: 2000, maxItems: 20_000 };

const NUL = '\u0000';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a text is refused, or `undefined`: PostgreSQL refuses U+0000 in text, and a lone UTF-16
 * surrogate cannot be encoded as UTF-8 (drivers and logs would mangle it).
 */
export function textProblem(text: string): string | undefined {
  if (text.includes(NUL)) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

const pathOf = (parent: string, key: string | number): string =>
  typeof key === 'number' ? `${parent}[${key}]` : parent === '' ? key : `${parent}.${key}`;

/**
 * The first problem of a parsed JSON value, walked without recursion (a body nested 10,000 deep must
 * not reach code that recurses, such as the validation pipe's prototype stripping).
 */
export function inspectJson(value: unknown, limits: JsonLimits = JSON_LIMITS): ValidationDetail | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  let keys = 0;
  let items = 0;
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    const field = path === '' ? 'body' : path;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) return { field, message: `${field} ${problem}` };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limits.maxDepth) {
      return { field: 'body', message: `body must not be nested deeper than ${limits.maxDepth} levels` };
    }
    if (Array.isArray(current)) items += current.length;
    else keys += Object.keys(current).length;
    if (keys > limits.maxKeys) {
      return { field: 'body', message: `body must not have more than ${limits.maxKeys} keys and items` };
    }
    if (items > limits.maxItems) {
      return { field: 'body', message: `body must not have more than ${limits.maxItems} keys and items` };
    }
    const entries: Array<[string | number, unknown]> = Array.isArray(current)
      ? current.map((item, index) => [index, item])
      : Object.entries(current);
    for (const [key, item] of entries) {
      if (typeof key === 'string') {
        const problem = textProblem(key);
        if (problem) return { field: pathOf(path, key.replace(/[^\x20-\x7e]/g, '?')), message: `key ${problem}` };
      }
      stack.push({ value: item, path: pathOf(path, key), depth: depth + 1 });
    }
  }
  return undefined;
}
