import type { LoggerService } from '@nestjs/common';
import type { UsageRecord } from './usage-record';

/**
 * Inserts one encoded batch (see {@link encodeUsageRows}) unless a batch of that id was written
 * before, in the same statement; UsageRepository's in the service.
 */
export type InsertEncodedRows = (batchId: string, parameters: string[]) => Promise<unknown>;

/** PostgreSQL's "no partition of relation found for row". */
const NO_PARTITION = '23514';
const DAY_MS = 86_400_000;

export interface UsageWriterOptions {
  /** Creates missing partitions covering `daysBack` days ago up to the days ahead (see UsagePartitions). */
  ensurePartitions: (daysBack: number) => Promise<void>;
  /** Rows dated before this many UTC days ago have no partition to go to: they are dropped. */
  retentionDays: number;
  logger: Pick<LoggerService, 'warn'>;
}

/**
 * Inserts batches of usage rows, each at most once per `batchId`; a row dated outside the existing
 * partitions gets its partition made.
 */
export class UsageWriter {
  constructor(
    private readonly insertRows: InsertEncodedRows,
    private readonly options: UsageWriterOptions,
  ) {}

  async insert(rows: readonly UsageRecord[], batchId: string): Promise<void> {
    const { parameters, oldest } = encodeUsageRows(rows);
    try {
      await this.insertRows(batchId, parameters);
    } catch (error) {
      if ((error as { code?: string }).code !== NO_PARTITION) throw error;
      await this.options.ensurePartitions(Math.floor((Date.now() - oldest) / DAY_MS) + 1);
      // The same id for what is kept: the failed statement claimed nothing (its claim rolled back with
      // it), so at most one write of the batch, whole or without its expired rows, ever lands.
      const kept = this.withinRetention(rows);
      if (kept.length > 0)
        await this.insertRows(batchId, kept === rows ? parameters : encodeUsageRows(kept).parameters);
    }
  }

  /** Rows a long outage kept past the retention would fail the batch for ever: they are dropped, and said so. */
  private withinRetention(rows: readonly UsageRecord[]): readonly UsageRecord[] {
    const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const cutoff = today - this.options.retentionDays * DAY_MS;
    const kept = rows.filter((row) => row.createdAt >= cutoff);
    if (kept.length === rows.length) return rows;
    this.options.logger.warn(
      `Dropped ${rows.length - kept.length} usage rows older than the ${this.options.retentionDays}-day retention`,
    );
    return kept;
  }
}

/** An element of a PostgreSQL array literal: double-quoted, `"` and `\` escaped. */
const quote = (text: string): string => (/["\\]/.test(text) ? `"${text.replace(/["\\]/g, '\\$&')}"` : `"${text}"`);
const arrayLiteral = (items: readonly (string | number)[]): string => `{${items.join(',')}}`;

/**
 * A batch as the parameters of UsageRepository's insert: what repeats is sent once (the batch's
 * distinct keys with their owners, endpoints and client addresses as small dictionaries, each row
 * carrying their 1-based positions), as array literals built here: UUIDs and numbers need no quoting,
 * which spares the driver's per-element escaping. This runs on the event loop for a whole batch at
 * once, so it does little per row: integers, and response times to the microsecond (`real` keeps
 * about seven digits anyway), whose short decimal forms are quicker to print and to parse.
 */
export function encodeUsageRows(rows: readonly UsageRecord[]): { parameters: string[]; oldest: number } {
  const keyPositions = new Map<string, number>();
  const keyIds: string[] = [];
  const ownerIds: string[] = [];
  const endpointPositions = new Map<string, number>();
  const methods: string[] = [];
  const routes: string[] = [];
  const clientPositions = new Map<string, number>();
  const clientIps: string[] = [];
  const n = rows.length;
  const createdAt = new Array<number>(n);
  const keys = new Array<number>(n);
  const endpoints = new Array<number>(n);
  const statusCodes = new Array<number>(n);
  const responseTimes = new Array<number>(n);
  const clients = new Array<number>(n);
  let oldest = Infinity;
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    let key = keyPositions.get(row.apiKeyId);
    if (key === undefined) {
      key = keyIds.push(row.apiKeyId);
      ownerIds.push(row.userId);
      keyPositions.set(row.apiKeyId, key);
    }
    const endpointId = `${row.method} ${row.route}`;
    let endpoint = endpointPositions.get(endpointId);
    if (endpoint === undefined) {
      endpoint = methods.push(quote(row.method));
      routes.push(quote(row.route));
      endpointPositions.set(endpointId, endpoint);
    }
    let client = clientPositions.get(row.clientIp);
    if (client === undefined) {
      client = clientIps.push(quote(row.clientIp));
      clientPositions.set(row.clientIp, client);
    }
    createdAt[i] = row.createdAt;
    keys[i] = key;
    endpoints[i] = endpoint;
    statusCodes[i] = row.statusCode;
    responseTimes[i] = Math.round(row.responseTimeMs * 1000) / 1000;
    clients[i] = client;
    if (row.createdAt < oldest) oldest = row.createdAt;
  }
  const parameters = [
    createdAt,
    keyIds,
    ownerIds,
    methods,
    routes,
    clientIps,
    keys,
    endpoints,
    statusCodes,
    responseTimes,
    clients,
  ].map(arrayLiteral);
  return { parameters, oldest };
}
