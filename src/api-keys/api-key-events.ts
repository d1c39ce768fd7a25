/**
 * Published on the EventBus with a key id whenever a key changes (revoke, suspend, resume, delete,
 * scopes, limits, IPs, expiry, rotation): every instance drops that key from its verified-key cache.
 */
export const API_KEY_CHANGED_CHANNEL = 'api-key-changed';
