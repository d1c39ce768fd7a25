export const REDIS_CLIENT = Symbol('REDIS_CLIENT');
export const REDIS_KEY_PREFIX = Symbol('REDIS_KEY_PREFIX');
