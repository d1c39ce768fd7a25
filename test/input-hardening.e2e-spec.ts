import { expect } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import request from 'supertest';
import { API_KEY_HINT } from '../src/api-keys/api-key-authenticator';
import { MAX_VALIDATION_DETAILS } from '../src/common/errors/domain.exception';
import { JSON_LIMITS } from '../src/common/http/json-inspection';
import { AUTH_BODY_LIMIT_BYTES, MAX_PARAM_LENGTH } from '../src/common/http/request-hardening';
import {
  authorizationFor,
  Credentials,
  fetchOpenApi,
  fillPath,
  Operation,
  operationsOf,
  prepareAccount,
} from './support/operations';
import { bodyOf, errorOf } from './support/http';
import { startTestApp, TestApp } from './support/test-app';

const VALIDATION_FAILED = 'Validation failed';
const NUL = '\u0000';
const LONE_SURROGATE = '\ud800';
const TOO_DEEP = JSON_LIMITS.maxDepth + 1;
const HOSTILE_DEPTH = 10_000;
/** Deep enough to hurt, small enough for the auth routes' body limit. */
const HOSTILE_AUTH_DEPTH = 2_000;

/** `{"a":{"a":...}}` nested `depth` levels, as JSON text (a JS object that deep would not stringify). */
const nestedObject = (depth: number): string => '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
const nestedArray = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

/** Sends raw bytes and reads the raw answer: for requests supertest cannot express. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const rawBodyOf = (raw: string): unknown => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));

describe('Input hardening: hostile input is a 400 with the contract body on every route', () => {
  let t: TestApp;
  let credentials: Credentials;
  let operations: Operation[];
  let withBody: Operation[];
  let withObjectBody: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    credentials = await prepareAccount(t);
    operations = operationsOf(await fetchOpenApi(t));
    withBody = operations.filter((operation) => operation.operation.requestBody !== undefined);
    // Routes whose documented body is an object (the secret-scanning report is a JSON array by GitHub's format).
    withObjectBody = withBody.filter(
      (operation) => operation.operation.requestBody?.content['application/json']?.schema.type !== 'array',
    );
  });
  afterAll(() => t.close());

  const send = (operation: Operation, body: string) => {
    const authorization = authorizationFor(operation.auth, credentials);
    const req = request(t.http)
      [operation.method as 'post'](fillPath(operation.path, () => randomUUID()))
      .set('Content-Type', 'application/json');
    if (authorization) req.set('Authorization', authorization);
    return req.send(body);
  };

  const expectValidation400 = (res: request.Response, label: string) => {
    expect({ label, status: res.status }).toEqual({ label, status: 400 });
    expect(res.body).toEqual({ error: VALIDATION_FAILED, details: expect.any(Array) });
  };

  it('finds the operations to probe in /docs-json', () => {
    expect(withBody.length).toBeGreaterThan(5);
  });

  it.each([
    ['an object', nestedObject],
    ['an array', nestedArray],
  ])(
    'refuses %s nested deeper than the limit, as the body or inside a field, on every route with a body',
    async (_kind, nest) => {
      for (const operation of withBody) {
        const depth = operation.path.startsWith('/auth/') ? HOSTILE_AUTH_DEPTH : HOSTILE_DEPTH;
        for (const body of [`{"a":${nest(depth)}}`, `{"name":${nest(TOO_DEEP)}}`]) {
          const res = await send(operation, body);
          expectValidation400(res, `${operation.method} ${operation.path}`);
          expect(errorOf(res).details![0].message).toMatch(/nested deeper/);
        }
      }
    },
  );

  it('refuses a body with more keys than the limit before validating it', async () => {
    const keys = Object.fromEntries(Array.from({ length: JSON_LIMITS.maxKeys + 1 }, (_, i) => [`k${i}`, 1]));
    for (const operation of withBody.filter(({ path }) => !path.startsWith('/auth/'))) {
      const res = await send(operation, JSON.stringify(keys));
      expectValidation400(res, `${operation.method} ${operation.path}`);
      expect(errorOf(res).details!).toEqual([{ field: 'body', message: expect.stringMatching(/keys and items/) }]);
    }
  });

  it(`caps validation details at ${MAX_VALIDATION_DETAILS} entries`, async () => {
    const keys = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`unknown${i}`, 1]));
    const res = await request(t.http).post('/auth/login').send(keys).expect(400);
    expect(errorOf(res).details!).toHaveLength(MAX_VALIDATION_DETAILS);
  });

  it.each([
    ['a NUL character', NUL],
    ['a lone UTF-16 surrogate', LONE_SURROGATE],
  ])('refuses %s in any string of a body, names and values alike', async (_kind, bad) => {
    for (const operation of withBody) {
      for (const body of [{ name: `a${bad}b` }, { [`a${bad}`]: 'x' }, { list: ['ok', `x${bad}`] }]) {
        const res = await send(operation, JSON.stringify(body));
        expectValidation400(res, `${operation.method} ${operation.path}`);
        expect(errorOf(res).details![0].message).toMatch(/NUL|surrogate/);
      }
    }
  });

  it('refuses a NUL character in a query string or a path parameter on every route', async () => {
    const encoded = '%00';
    for (const operation of operations) {
      const authorization = authorizationFor(operation.auth, credentials);
      const urls = [`${fillPath(operation.path, () => randomUUID())}?q=a${encoded}b`];
      if (operation.path.includes('{')) urls.push(fillPath(operation.path, () => `a${encoded}b`));
      for (const url of urls) {
        const req = request(t.http)[operation.method as 'get'](url);
        if (authorization) req.set('Authorization', authorization);
        const res = await req;
        expectValidation400(res, `${operation.method} ${url}`);
      }
    }
  });

  it('answers malformed percent-encoding in a path with the contract body, without echoing it', async () => {
    const res = await request(t.http).get('/tracks/%zz').expect(400);
    expect(res.body).toEqual({
      error: VALIDATION_FAILED,
      details: [{ field: 'path', message: 'path has malformed percent-encoding' }],
    });
  });

  it.each(['9223372036854775807', '1e308', '1.5', '0x10', ' ', '-0x1', '1'.repeat(40)])(
    'refuses ?offset=%s and ?limit= beyond a safe integer on every list',
    async (value) => {
      const lists = operations.filter(({ operation }) =>
        (operation.parameters ?? []).some((parameter) => parameter.name === 'offset'),
      );
      expect(lists.length).toBeGreaterThan(0);
      for (const operation of lists) {
        for (const name of ['offset', 'limit']) {
          const res = await request(t.http)
            .get(`${operation.path}?${name}=${encodeURIComponent(value)}`)
            .set('Authorization', authorizationFor(operation.auth, credentials)!);
          expectValidation400(res, `${operation.path}?${name}=${value}`);
        }
      }
    },
  );

  it('refuses null for a field the schema does not declare nullable, and accepts it where it does', async () => {
    const res = await request(t.http)
      .post('/auth/register')
      .send({ email: 'n@example.com', password: 'long enough password', name: null })
      .expect(400);
    expect(errorOf(res).details!).toEqual([{ field: 'name', message: 'name must not be null' }]);
    const patch = await request(t.http)
      .patch(`/api-keys/${credentials.apiKeyId}`)
      .set('Authorization', `Bearer ${credentials.jwt}`)
      .send({ name: null });
    expect(patch.status).toBe(400);
    const nullable = await request(t.http)
      .patch(`/api-keys/${credentials.apiKeyId}`)
      .set('Authorization', `Bearer ${credentials.jwt}`)
      .send({ expires_at: null })
      .expect(200);
    expect(bodyOf<{ expires_at: string | null }>(nullable).expires_at).toBeNull();
  });

  it.each(['null', '42', '"text"', '[]', 'true'])(
    'refuses the top-level body %s on every route whose body is an object',
    async (body) => {
      for (const operation of withObjectBody) {
        const res = await send(operation, body);
        expectValidation400(res, `${operation.method} ${operation.path}`);
        expect(errorOf(res).details!).toEqual([{ field: 'body', message: 'body must be a JSON object' }]);
      }
    },
  );

  it('answers 415 to a body without Content-Type or with a type other than JSON', async () => {
    const login = JSON.stringify({ email: 'x@example.com', password: 'whatever long' });
    const missing = await rawRequest(
      (t.http.address() as { port: number }).port,
      `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: ${login.length}\r\nConnection: close\r\n\r\n${login}`,
    );
    expect(missing).toMatch(/^HTTP\/1.1 415/);
    expect(rawBodyOf(missing)).toEqual({ error: 'Unsupported media type' });
    const text = await request(t.http).post('/auth/login').set('Content-Type', 'text/plain').send(login).expect(415);
    expect(text.body).toEqual({ error: 'Unsupported media type' });
  });

  it(`refuses bodies over ${AUTH_BODY_LIMIT_BYTES} bytes on /auth/* with 413`, async () => {
    const body = JSON.stringify({ email: 'x@example.com', password: 'p'.repeat(AUTH_BODY_LIMIT_BYTES) });
    for (const path of ['/auth/login', '/auth/register']) {
      const res = await request(t.http).post(path).set('Content-Type', 'application/json').send(body).expect(413);
      expect(res.body).toEqual({ error: 'Payload too large' });
    }
  });

  it('answers an over-long path parameter 414 without echoing the URL', async () => {
    const long = 'x'.repeat(MAX_PARAM_LENGTH + 1);
    const res = await request(t.http)
      .get(`/api-keys/${long}`)
      .set('Authorization', `Bearer ${credentials.jwt}`)
      .expect(414);
    expect(res.body).toEqual({ error: 'URI too long' });
    expect(res.text).not.toContain(long);
  });

  it('answers requests the HTTP parser refuses with the contract body', async () => {
    const port = (t.http.address() as { port: number }).port;
    const garbage = await rawRequest(port, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1.1 400/);
    expect(rawBodyOf(garbage)).toEqual({
      error: VALIDATION_FAILED,
      details: [{ field: 'request', message: expect.any(String) }],
    });
    const huge = await rawRequest(port, `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1.1 431/);
    expect(huge).not.toContain('a'.repeat(100));
    expect(rawBodyOf(huge)).toEqual({ error: 'Request header fields too large' });
  });
});

describe('Credentials: tokens are read strictly', () => {
  let t: TestApp;
  let credentials: Credentials;
  let jwtRoutes: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    credentials = await prepareAccount(t);
    jwtRoutes = operationsOf(await fetchOpenApi(t)).filter(({ auth }) => auth === 'jwt');
  });
  afterAll(() => t.close());

  it('answers 401 to a correctly signed JWT whose subject is not a UUID, on every JWT route', async () => {
    const jwt = t.app.get(JwtService);
    for (const sub of ['not-a-uuid', `${NUL}`, '1 OR 1=1', 'x'.repeat(5000)]) {
      const token = await jwt.signAsync({ sub });
      for (const operation of jwtRoutes) {
        const res = await request(t.http)
          [operation.method as 'get'](fillPath(operation.path, () => randomUUID()))
          .set('Authorization', `Bearer ${token}`);
        expect({ route: `${operation.method} ${operation.path}`, status: res.status }).toEqual({
          route: `${operation.method} ${operation.path}`,
          status: 401,
        });
        expect(res.body).toEqual({ error: 'Invalid or missing token' });
      }
    }
  });

  it('refuses a JWT signed with another algorithm than HS256', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: credentials.userId })).toString('base64url');
    await request(t.http).get('/auth/me').set('Authorization', `Bearer ${header}.${payload}.`).expect(401);
  });

  it.each(['Bearer {jwt} junk', 'Bearer {jwt},x', 'Bearer  {jwt} {jwt}', 'Basic {jwt}'])(
    'refuses the Authorization header "%s"',
    async (template) => {
      const res = await request(t.http)
        .get('/auth/me')
        .set('Authorization', template.replaceAll('{jwt}', credentials.jwt))
        .expect(401);
      expect(res.body).toEqual({ error: 'Invalid or missing token' });
    },
  );

  it('answers a JWT on an API-key route with malformed and a hint naming the tt_ key', async () => {
    const res = await request(t.http).get('/whoami').set('Authorization', `Bearer ${credentials.jwt}`).expect(401);
    expect(res.body).toEqual({ error: 'Invalid API key', reason: 'malformed', hint: API_KEY_HINT });
    const plain = await request(t.http).get('/whoami').set('Authorization', 'Bearer tt_nope').expect(401);
    expect(plain.body).toEqual({ error: 'Invalid API key', reason: 'malformed' });
  });
});
