import { RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import request from 'supertest';
import { ApiKeyGuard } from '../src/api-keys/api-key.guard';
import { RequiredScopes } from '../src/api-keys/required-scopes';
import { Scopes } from '../src/api-keys/scopes.decorator';
import { JwtAuthGuard, RequiredRole } from '../src/auth/jwt-auth.guard';
import { API_KEY_SECURITY, JWT_SECURITY } from '../src/common/http/swagger';
import { startTestApp, TestApp } from './support/test-app';

interface Route {
  method: string;
  path: string;
  /** `api-key`, `jwt` (with the role it needs, if any) or `public`. */
  auth: string;
  /** Declared by `@Scopes(...)`; `undefined` when the route has no declaration. */
  scopes?: readonly string[];
}

const joinPath = (...parts: (string | undefined)[]): string =>
  `/${parts
    .flatMap((part) => (part ?? '').split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every route of the running application, with the guards and scopes its decorators declare. */
function routesOf(t: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const prefix: string = Reflect.getMetadata(PATH_METADATA, controller);
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (name === 'constructor' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const guards: unknown[] = [
          ...(Reflect.getMetadata(GUARDS_METADATA, controller) ?? []),
          ...(Reflect.getMetadata(GUARDS_METADATA, handler) ?? []),
        ];
        const role =
          Reflect.getMetadata(RequiredRole.KEY, handler) ?? Reflect.getMetadata(RequiredRole.KEY, controller);
        const jwt = role ? `jwt role:${role}` : 'jwt';
        const auth = guards.includes(ApiKeyGuard) ? 'api-key' : guards.includes(JwtAuthGuard) ? jwt : 'public';
        routes.push({
          method: RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod],
          path: joinPath(prefix, Reflect.getMetadata(PATH_METADATA, handler)),
          auth,
          scopes: Reflect.getMetadata(RequiredScopes.KEY, handler),
        });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

describe('Who may call each route', () => {
  let t: TestApp;
  let routes: Route[];
  beforeAll(async () => {
    t = await startTestApp();
    routes = routesOf(t);
  });
  afterAll(() => t.close());

  it('declares scopes on every API-key route (a change to this snapshot is a permission change)', () => {
    const undeclared = routes.filter((route) => route.auth === 'api-key' && route.scopes === undefined);
    expect(undeclared).toEqual([]);
    const table = routes.map(
      ({ method, path, auth, scopes }) =>
        `${method.padEnd(6)} ${path.padEnd(32)} ${auth === 'api-key' ? `api-key ${scopes!.length ? scopes!.join(' ') : '(any valid key)'}` : auth}`,
    );
    expect(table.join('\n')).toMatchSnapshot();
  });

  it('documents each route in /docs-json with its security scheme, scope and schemas', async () => {
    const doc = (await request(t.http).get('/docs-json').expect(200)).body;
    for (const route of routes) {
      const openApiPath = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[openApiPath]?.[route.method.toLowerCase()];
      expect({ route: `${route.method} ${route.path}`, documented: Boolean(operation) }).toEqual({
        route: `${route.method} ${route.path}`,
        documented: true,
      });
      if (route.auth === 'api-key') {
        expect(operation.security).toEqual([{ [API_KEY_SECURITY]: [] }]);
        expect(operation['x-required-scopes']).toEqual(route.scopes);
        expect(operation.description).toBe(
          route.scopes!.length ? `Requires scope ${route.scopes!.join(', ')}` : 'Requires a valid API key (no scope)',
        );
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403', '429']));
        expect(operation.summary).not.toBe('');
      }
      if (route.auth.startsWith('jwt')) expect(operation.security).toEqual([{ [JWT_SECURITY]: [] }]);
    }
    const schemaOf = (path: string, method: string, status: string) =>
      doc.paths[path][method].responses[status]?.content?.['application/json']?.schema;
    expect(schemaOf('/api-keys', 'post', '201')).toEqual({ $ref: '#/components/schemas/CreatedApiKeyResponseDto' });
    expect(doc.paths['/api-keys'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CreateApiKeyDto',
    });
    expect(schemaOf('/api-keys/{id}/rotate', 'post', '201')).toEqual({
      $ref: '#/components/schemas/RotatedApiKeyResponseDto',
    });
    expect(schemaOf('/tracks', 'get', '200')).toEqual({ $ref: '#/components/schemas/TrackListResponseDto' });
    expect(schemaOf('/whoami', 'get', '200')).toEqual({ $ref: '#/components/schemas/WhoamiResponseDto' });
    expect(schemaOf('/recommendations', 'get', '200')).toEqual({
      $ref: '#/components/schemas/RecommendationsResponseDto',
    });
    expect(doc.components.schemas.CreatedApiKeyResponseDto.required).toEqual(
      expect.arrayContaining(['api_key', 'key_prefix', 'revoked_at']),
    );
    expect(doc.components.schemas.CreateApiKeyDto.properties.scopes.items.enum).toContain('write:tracks');
  });
});
