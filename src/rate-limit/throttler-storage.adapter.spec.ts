import { loadConfig } from '../config/app-config';
import { FailoverRateLimitStore } from './failover-rate-limit.store';
import { ThrottlerStorageAdapter } from './throttler-storage.adapter';

describe('@nestjs/throttler storage over the rate-limit counters', () => {
  it('serves @nestjs/throttler: one fixed window per call, blocked without counting', async () => {
    const store = new FailoverRateLimitStore(null, loadConfig({}));
    const storage = new ThrottlerStorageAdapter(store);
    try {
      const records = [];
      for (let i = 0; i < 3; i++) records.push(await storage.increment('auth:203.0.113.9', 60_000, 2, 60_000, 'auth'));
      expect(records.map(({ totalHits, isBlocked }) => ({ totalHits, isBlocked }))).toEqual([
        { totalHits: 1, isBlocked: false },
        { totalHits: 2, isBlocked: false },
        { totalHits: 2, isBlocked: true },
      ]);
      expect(records[2].timeToBlockExpire).toBe(records[2].timeToExpire);
      expect(records[2].timeToExpire).toBeGreaterThanOrEqual(1);
      expect(records[2].timeToExpire).toBeLessThanOrEqual(60);
    } finally {
      store.onModuleDestroy();
    }
  });
});
