import request from 'supertest';
import { PlansService } from '../src/plans/plans.service';
import { registerUser, setPlan } from './support/accounts';
import { startTestApp, TestApp } from './support/test-app';

const FREE_SCOPES = [
  'read:tracks',
  'write:tracks',
  'delete:tracks',
  'read:recommendations',
  'read:playlists',
  'write:playlists',
  'delete:playlists',
];
const STARTER_SCOPES = [...FREE_SCOPES, 'read:audio_features', 'write:audio_features'];
const PRO_SCOPES = [...STARTER_SCOPES, 'train:models', 'read:analytics', 'admin:webhooks', 'admin:billing'];

describe('Plans', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('lists the four plans of the guide, in order, without authentication', async () => {
    const res = await request(t.http).get('/plans').expect(200);
    expect(res.body).toEqual([
      {
        id: 'free',
        name: 'Free',
        rate_limit_requests_per_minute: 10,
        rate_limit_requests_per_hour: 100,
        rate_limit_requests_per_day: 1000,
        scopes: FREE_SCOPES,
      },
      {
        id: 'starter',
        name: 'Starter',
        rate_limit_requests_per_minute: 60,
        rate_limit_requests_per_hour: 1000,
        rate_limit_requests_per_day: 10000,
        scopes: STARTER_SCOPES,
      },
      {
        id: 'pro',
        name: 'Pro',
        rate_limit_requests_per_minute: 300,
        rate_limit_requests_per_hour: 10000,
        rate_limit_requests_per_day: 100000,
        scopes: PRO_SCOPES,
      },
      {
        id: 'enterprise',
        name: 'Enterprise',
        rate_limit_requests_per_minute: null,
        rate_limit_requests_per_hour: null,
        rate_limit_requests_per_day: null,
        scopes: PRO_SCOPES,
      },
    ]);
  });

  describe('Limits in force for a user', () => {
    it("gives a user the plan's limits, and on enterprise the user's own", async () => {
      const plans = t.app.get(PlansService);
      const { user } = await registerUser(t.http);
      const free = await setPlan(t, user.id, 'free');
      expect(plans.limitsFor(free)).toEqual({ minute: 10, hour: 100, day: 1000 });
      const enterprise = await setPlan(t, user.id, 'enterprise', { minute: 5000, hour: 200000, day: 3000000 });
      expect(plans.limitsFor(enterprise)).toEqual({ minute: 5000, hour: 200000, day: 3000000 });
    });

    it('knows which scopes each plan grants', () => {
      const plans = t.app.get(PlansService);
      expect([...plans.scopesOf('free')]).toEqual(FREE_SCOPES);
      expect(plans.scopesOf('starter').has('read:audio_features')).toBe(true);
      expect(plans.scopesOf('starter').has('read:analytics')).toBe(false);
      expect([...plans.scopesOf('enterprise')]).toEqual(PRO_SCOPES);
    });
  });
});
