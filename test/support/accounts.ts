import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { RegisterResponseDto } from '../../src/auth/dto/register-response.dto';
import type { PlanId } from '../../src/plans/plan.entity';
import type { UserResponseDto } from '../../src/users/dto/user-response.dto';
import type { RateLimits } from '../../src/rate-limit/rate-limits';
import type { User } from '../../src/users/user.entity';
import { UsersService } from '../../src/users/users.service';
import { bodyOf } from './http';
import type { TestApp } from './test-app';

/** The password accounts get unless a test gives one: long enough for the 10-character minimum. */
export const DEFAULT_PASSWORD = 'correct horse battery staple';

export interface RegisteredUser {
  /** The `user` object of the register response (snake_case, as the API answers it). */
  user: UserResponseDto;
  /** Access token (JWT) for the dashboard routes. */
  token: string;
  email: string;
  password: string;
}

export interface RegisterOverrides {
  email?: string;
  password?: string;
  name?: string;
}

/** Registers a fresh account through the API (a unique email per call unless one is given). */
export async function registerUser(http: TestApp['http'], overrides: RegisterOverrides = {}): Promise<RegisteredUser> {
  const email = overrides.email ?? `user-${randomBytes(6).toString('hex')}@example.com`;
  const password = overrides.password ?? DEFAULT_PASSWORD;
  const body: Record<string, string> = { email, password };
  if (overrides.name !== undefined) body.name = overrides.name;
  const res = await request(http).post('/auth/register').send(body);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const registered = bodyOf<RegisterResponseDto>(res);
  return { user: registered.user, token: registered.access_token, email, password };
}

/** Moves a user to a plan as an operator would (custom limits on enterprise), without going through HTTP. */
export function setPlan(t: TestApp, userId: string, plan: PlanId, limits?: RateLimits): Promise<User> {
  return t.app.get(UsersService).changePlan(userId, plan, limits);
}
