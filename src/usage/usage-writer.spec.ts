import type { UsageRecord } from './usage-record';
import { InsertEncodedRows, UsageWriter } from './usage-writer';

const row = (overrides: Partial<UsageRecord>): UsageRecord => ({
  apiKeyId: '00000000-0000-4000-8000-000000000001',
  userId: '00000000-0000-4000-8000-0000000000aa',
  method: 'GET',
  route: '/tracks/:id',
  statusCode: 200,
  responseTimeMs: 1.5,
  clientIp: '127.0.0.1',
  createdAt: 1_700_000_000_123,
  ...overrides,
});

const BATCH_ID = '00000000-0000-4000-8000-0000000000b1';

describe('Usage rows written in batches', () => {
  it('sends repeated keys, endpoints and client addresses once, rows as positions, text quoted and escaped', async () => {
    const insertRows = jest.fn<ReturnType<InsertEncodedRows>, Parameters<InsertEncodedRows>>().mockResolvedValue([]);
    const other = '00000000-0000-4000-8000-000000000002';
    await new UsageWriter(insertRows, {
      ensurePartitions: jest.fn(),
      retentionDays: 90,
      logger: { warn: jest.fn() },
    }).insert(
      [
        row({}),
        row({ apiKeyId: other, userId: 'owner-2', route: '/tracks', statusCode: 404 }),
        row({ method: 'DELETE', route: '/odd/"route"\\', clientIp: '::1', responseTimeMs: 0.2500004 }),
      ],
      BATCH_ID,
    );
    const [batchId, parameters] = insertRows.mock.calls[0];
    expect(batchId).toBe(BATCH_ID);
    expect(parameters).toEqual([
      '{1700000000123,1700000000123,1700000000123}',
      `{00000000-0000-4000-8000-000000000001,${other}}`,
      '{00000000-0000-4000-8000-0000000000aa,owner-2}',
      '{"GET","GET","DELETE"}',
      '{"/tracks/:id","/tracks","/odd/\\"route\\"\\\\"}',
      '{"127.0.0.1","::1"}',
      '{1,2,1}',
      '{1,2,3}',
      '{200,404,200}',
      '{1.5,1.5,0.25}',
      '{1,1,2}',
    ]);
  });

  it('creates the missing partition back to the oldest row, then retries once under the same batch id', async () => {
    const insertRows = jest
      .fn<ReturnType<InsertEncodedRows>, Parameters<InsertEncodedRows>>()
      .mockRejectedValueOnce(Object.assign(new Error('no partition'), { code: '23514' }))
      .mockResolvedValue([]);
    const ensurePartitions = jest.fn().mockResolvedValue(undefined);
    await new UsageWriter(insertRows, { ensurePartitions, retentionDays: 90, logger: { warn: jest.fn() } }).insert(
      [row({ createdAt: Date.now() - 3 * 86_400_000 })],
      BATCH_ID,
    );
    expect(ensurePartitions).toHaveBeenCalledWith(4);
    expect(insertRows.mock.calls.map(([batchId]) => batchId)).toEqual([BATCH_ID, BATCH_ID]);
  });

  it('drops, with a log line, rows older than the retention (their partitions are gone for good)', async () => {
    const insertRows = jest
      .fn<ReturnType<InsertEncodedRows>, Parameters<InsertEncodedRows>>()
      .mockRejectedValueOnce(Object.assign(new Error('no partition'), { code: '23514' }))
      .mockResolvedValue([]);
    const logger = { warn: jest.fn() };
    const now = Date.now();
    await new UsageWriter(insertRows, {
      ensurePartitions: jest.fn().mockResolvedValue(undefined),
      retentionDays: 2,
      logger,
    }).insert([row({ createdAt: now - 5 * 86_400_000 }), row({ createdAt: now })], BATCH_ID);
    // The kept rows under the batch's own id: the failed statement's claim rolled back with it.
    const [batchId, retried] = insertRows.mock.calls[1];
    expect(batchId).toBe(BATCH_ID);
    expect(retried[0]).toBe(`{${now}}`);
    expect(logger.warn).toHaveBeenCalledWith('Dropped 1 usage rows older than the 2-day retention');
  });
});
