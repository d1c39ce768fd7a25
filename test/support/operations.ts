import request from 'supertest';
import { SCOPES } from '../../src/plans/scopes';
import { API_KEY_SECURITY, JWT_SECURITY } from '../../src/common/http/swagger';
import { registerUser, setPlan } from './accounts';
import { createApiKey } from './api-keys';
import type { TestApp } from './test-app';

/** Just the parts of an OpenAPI 3 document the suites read. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas?: Record<string, unknown> };
}

export interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema?: Record<string, unknown>;
}

export interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  responses: Record<string, { content?: Record<string, { schema?: Record<string, unknown> }> }>;
  security?: Array<Record<string, string[]>>;
}

export interface Operation {
  method: string;
  /** OpenAPI template, e.g. `/tracks/{id}`. */
  path: string;
  operation: OpenApiOperation;
  /** `jwt`, `api-key` or `public`. */
  auth: string;
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export async function fetchOpenApi(t: TestApp): Promise<OpenApiDocument> {
  const res = await request(t.http).get('/docs-json').expect(200);
  return res.body as OpenApiDocument;
}

/** Every operation of the document, so a route added later is covered with no edit. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => {
        const schemes = (operation.security ?? []).flatMap((entry) => Object.keys(entry));
        const auth = schemes.includes(API_KEY_SECURITY) ? 'api-key' : schemes.includes(JWT_SECURITY) ? 'jwt' : 'public';
        return { method, path, operation, auth };
      }),
  );
}

export interface Credentials {
  jwt: string;
  apiKey: string;
  userId: string;
  apiKeyId: string;
}

/** An account on the pro plan (every scope) with a key holding every scope and generous limits. */
export async function prepareAccount(t: TestApp): Promise<Credentials> {
  const user = await registerUser(t.http);
  await setPlan(t, user.user.id, 'enterprise', { minute: 1_000_000, hour: 10_000_000, day: 100_000_000 });
  const key = await createApiKey(t.http, user.token, { name: 'every scope', scopes: [...SCOPES] });
  return { jwt: user.token, apiKey: key.key, userId: user.user.id, apiKeyId: key.id };
}

/** The `Authorization` header an operation takes. */
export const authorizationFor = (auth: string, credentials: Credentials): string | undefined =>
  auth === 'api-key' ? `Bearer ${credentials.apiKey}` : auth === 'jwt' ? `Bearer ${credentials.jwt}` : undefined;

/** A concrete path for a template, each parameter replaced by `value(name)`. */
export const fillPath = (template: string, value: (name: string) => string): string =>
  template.replace(/\{([^}]+)\}/g, (_match, name: string) => value(name));
