import { expect } from '@jest/globals';
import { RequestMethod, Type } from '@nestjs/common';
import { GUARDS_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ApiKeyRouteGuard } from '../src/api-keys/api-key-route.guard';
import { RequiredScopes } from '../src/api-keys/required-scopes';
import { JwtAuthGuard, RequiredRole } from '../src/auth/jwt-auth.guard';
import { API_KEY_SECURITY, JWT_SECURITY } from '../src/common/http/swagger';
import {
  asRequestBody,
  asSchema,
  componentSchema,
  jsonSchemaOf,
  openApiDocument,
  operationOf,
} from './support/openapi';
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

/** Decorator metadata of a controller or handler (reflect-metadata types it `any`). */
const metadata = <T>(key: string, target: object): T | undefined => Reflect.getMetadata(key, target) as T | undefined;

/** Every route of the running application, with the guards and scopes its decorators declare. */
function routesOf(t: TestApp): Route[] {
  const routes: Route[] = [];
  for (const module of t.app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type;
      const prefix = metadata<string>(PATH_METADATA, controller);
      const prototype = controller.prototype as Record<string, object>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        const method = metadata<RequestMethod>(METHOD_METADATA, handler);
        if (name === 'constructor' || method === undefined) continue;
        const guards: unknown[] = [
          ...(metadata<unknown[]>(GUARDS_METADATA, controller) ?? []),
          ...(metadata<unknown[]>(GUARDS_METADATA, handler) ?? []),
        ];
        const role = metadata<string>(RequiredRole.KEY, handler) ?? metadata<string>(RequiredRole.KEY, controller);
        const jwt = role ? `jwt role:${role}` : 'jwt';
        const auth = guards.includes(ApiKeyRouteGuard) ? 'api-key' : guards.includes(JwtAuthGuard) ? jwt : 'public';
        routes.push({
          method: RequestMethod[method],
          path: joinPath(prefix, metadata<string>(PATH_METADATA, handler)),
          auth,
          scopes: metadata<readonly string[]>(RequiredScopes.KEY, handler),
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
    const doc = await openApiDocument(t.http);
    for (const route of routes) {
      const openApiPath = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = operationOf(doc, openApiPath, route.method);
      expect({ route: `${route.method} ${route.path}`, documented: Boolean(operation) }).toEqual({
        route: `${route.method} ${route.path}`,
        documented: true,
      });
      if (!operation) continue;
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
      jsonSchemaOf(operationOf(doc, path, method)?.responses[status]);
    expect(schemaOf('/api-keys', 'post', '201')).toEqual({ $ref: '#/components/schemas/CreatedApiKeyResponseDto' });
    expect(
      asRequestBody(operationOf(doc, '/api-keys', 'post')?.requestBody)?.content['application/json'].schema,
    ).toEqual({
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
    expect(componentSchema(doc, 'CreatedApiKeyResponseDto')?.required).toEqual(
      expect.arrayContaining(['api_key', 'key_prefix', 'revoked_at']),
    );
    const scopesProperty = asSchema(componentSchema(doc, 'CreateApiKeyDto')?.properties?.scopes);
    expect(asSchema(scopesProperty?.items)?.enum).toContain('write:tracks');
  });
});
