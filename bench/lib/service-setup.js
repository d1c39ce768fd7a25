'use strict';
const { randomBytes } = require('node:crypto');

/** Rate limits no bench run can reach. */
const HUGE_LIMIT = 1_000_000_000;

/** JSON over HTTP; fails with the answer when the status is not the expected one. */
async function call(baseUrl, method, route, { token, body, expect }) {
  const response = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (response.status !== expect)
    throw new Error(`${method} ${route} answered ${response.status}, expected ${expect}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * A new user on `enterprise` with limits no bench run can reach, promoted by the admin the service
 * bootstraps from ADMIN_EMAIL/ADMIN_PASSWORD. Returns the register response (user, access_token).
 */
async function registerUnlimitedUser(baseUrl, admin, email) {
  const password = randomBytes(12).toString('hex');
  const registered = await call(baseUrl, 'POST', '/auth/register', {
    body: { email, password, name: 'Bench' },
    expect: 201,
  });
  const adminLogin = await call(baseUrl, 'POST', '/auth/login', { body: admin, expect: 200 });
  await call(baseUrl, 'PUT', `/admin/users/${registered.user.id}/plan`, {
    token: adminLogin.access_token,
    body: {
      plan: 'enterprise',
      rate_limit_requests_per_minute: HUGE_LIMIT,
      rate_limit_requests_per_hour: HUGE_LIMIT,
      rate_limit_requests_per_day: HUGE_LIMIT,
    },
    expect: 200,
  });
  return registered;
}

/**
 * The built service's environment for a bench run: production mode on loopback, its own database
 * and Redis prefix, fresh secrets, and the admin that {@link registerUnlimitedUser} logs in as.
 */
function serviceEnvironment({ port, databaseUrl, redisUrl, redisPrefix, admin }) {
  return {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    JWT_SECRET: randomBytes(24).toString('hex'),
    API_KEY_PEPPER: randomBytes(24).toString('hex'),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    AUTH_RATE_LIMIT_PER_MINUTE: '1000',
  };
}

module.exports = { HUGE_LIMIT, call, registerUnlimitedUser, serviceEnvironment };
