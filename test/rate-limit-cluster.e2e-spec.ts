import request from 'supertest';
import { registerUser } from './support/accounts';
import { createApiKey } from './support/api-keys';
import { awaitRoomInMinute } from './support/rate-limit';
import { RedisClusterProcesses } from './support/redis-servers';
import { startTestApp, TestApp } from './support/test-app';

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
    expect(res.body.checks.redis).toEqual({ status: 'up', backend: 'redis-cluster' });
  });

  it('lets exactly R of 40 concurrent requests pass, counting all windows of a key on one node', async () => {
    await awaitRoomInMinute();
    const { token } = await registerUser(t.http);
    const { id, key } = await createApiKey(t.http, token, { rate_limit_requests_per_minute: 10 });
    const whoami = () => request(t.http).get('/whoami').set('Authorization', `Bearer ${key}`);
    await whoami().expect(200);
    await whoami().expect(200);

    const statuses = (await Promise.all(Array.from({ length: 40 }, whoami))).map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(8);
    expect(statuses.filter((status) => status === 429)).toHaveLength(32);

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
    expect(await holder.cli('GET', minuteKey)).toBe('10');
  });
});
