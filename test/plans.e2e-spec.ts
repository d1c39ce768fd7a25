import { expect } from '@jest/globals';
import request from 'supertest';
import { PLAN_CATALOGUE } from '../src/plans/plan-catalogue';
import type { PlanId } from '../src/plans/plan.entity';
import { PlansService } from '../src/plans/plans.service';
import { registerUser, setPlan } from './support/accounts';
import { limitFields, planLimits } from './support/plans';
import { startTestApp, TestApp } from './support/test-app';

/** The guide's plans, cheapest first, as `GET /plans` lists them. */
const GUIDE_PLAN_ORDER: PlanId[] = ['free', 'starter', 'pro', 'enterprise'];
/** Custom limits an operator gives an enterprise user. */
const ENTERPRISE_LIMITS = { minute: 5000, hour: 200000, day: 3000000 };

describe('Plans', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('lists the four plans of the guide, in order, without authentication', async () => {
    const res = await request(t.http).get('/plans').expect(200);
    expect(res.body).toEqual(
      GUIDE_PLAN_ORDER.map((id) => {
        const { name, limits, scopes } = PLAN_CATALOGUE[id];
        return { id, name, ...limitFields(limits), scopes };
      }),
    );
  });

  describe('Limits in force for a user', () => {
    it("gives a user the plan's limits, and on enterprise the user's own", async () => {
      const plans = t.app.get(PlansService);
      const { user } = await registerUser(t.http);
      const free = await setPlan(t, user.id, 'free');
      expect(plans.limitsFor(free)).toEqual(planLimits('free'));
      const enterprise = await setPlan(t, user.id, 'enterprise', ENTERPRISE_LIMITS);
      expect(plans.limitsFor(enterprise)).toEqual(ENTERPRISE_LIMITS);
    });

    it('knows which scopes each plan grants', () => {
      const plans = t.app.get(PlansService);
      expect([...plans.scopesOf('free')]).toEqual(PLAN_CATALOGUE.free.scopes);
      expect(plans.scopesOf('starter').has('read:audio_features')).toBe(true);
      expect(plans.scopesOf('starter').has('read:analytics')).toBe(false);
      expect([...plans.scopesOf('enterprise')]).toEqual(PLAN_CATALOGUE.pro.scopes);
    });
  });
});
