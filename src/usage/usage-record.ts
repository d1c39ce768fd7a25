/** One request made with a valid API key, as the `onResponse` hook captures it. */
export interface UsageRecord {
  apiKeyId: string;
  userId: string;
  method: string;
  /** Route template (`/tracks/:id`), never the concrete path. */
  route: string;
  statusCode: number;
  responseTimeMs: number;
  clientIp: string;
  /** Epoch milliseconds (a number, not a Date: nothing more to allocate on the request path). */
  createdAt: number;
}
