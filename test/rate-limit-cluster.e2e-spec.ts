import { expect } from '@jest/globals';
import request from 'supertest';
import type { ReadinessDto } from '../src/health/dto/health.dto';
import { registerUser } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { bodyOf } from './support/http';
import { awaitRoomInMinute } from './support/rate-limit';
import { RedisClusterProcesses } from './support/redis-servers';
import { startTestApp, TestApp } from './support/test-app';

/** The key's minute limit, the requests made before the burst, and the burst sent at once. */
const KEY_MINUTE_LIMIT = 10;
const REQUESTS_BEFORE = 2;
const CONCURRENT_REQUESTS = 40;

describe('Per-key rate limits on Redis Cluster', () => {
  const cluster = new RedisClusterProcesses([7101, 7102, 7103]);
  let t: TestApp;
  beforeAll(async () => {
    await cluster.start();
    t = await startTestApp({ env: { REDIS_URL: undefined, REDIS_CLUSTER_NODES: cluster.nodeList } });
  }, 60_000);
  afterAll(async () => {
    await t?.close();
    await cluster.stop();
  });

  it('reports the cluster on readiness', async () => {
    const res = await request(t.http).get('/health/ready').expect(200);
    expect(bodyOf<ReadinessDto>(res).checks.redis).toEqual({ status: 'up', backend: 'redis-cluster' });
  });

  it('lets exactly R of 40 concurrent requests pass, counting all windows of a key on one node', async () => {
    await awaitRoomInMinute();
    const { token } = await registerUser(t.http);
    const { id, key } = await createApiKey(t.http, token, { rate_limit_requests_per_minute: KEY_MINUTE_LIMIT });
    const whoami = () => request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`);
    for (let i = 0; i < REQUESTS_BEFORE; i++) await whoami().expect(200);

    const left = KEY_MINUTE_LIMIT - REQUESTS_BEFORE;
    const statuses = (await Promise.all(Array.from({ length: CONCURRENT_REQUESTS }, whoami))).map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(left);
    expect(statuses.filter((status) => status === 429)).toHaveLength(CONCURRENT_REQUESTS - left);

    const keysPerNode = await Promise.all(
      cluster.nodes.map((node) => node.cli('--scan', '--pattern', `*rl:{${id}}:*`)),
    );
    const counts = keysPerNode.map((keys) => (keys ? keys.split('\n').length : 0)).sort();
    expect(counts).toEqual([0, 0, 3]);
    const holder = cluster.nodes[keysPerNode.findIndex(Boolean)];
    const minuteKey = keysPerNode
      .find(Boolean)!
      .split('\n')
      .find((name) => name.includes(':minute:'))!;
    expect(await holder.cli('GET', minuteKey)).toBe(String(KEY_MINUTE_LIMIT));
  });
});
