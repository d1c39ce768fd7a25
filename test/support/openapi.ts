import type {
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';
import request from 'supertest';
import { bodyOf } from './http';
import type { TestApp } from './test-app';

/** An operation with the extension the service adds to API-key routes. */
export type Operation = OperationObject & { 'x-required-scopes'?: readonly string[] };

/** The OpenAPI document the service serves at `/docs-json`. */
export async function openApiDocument(http: TestApp['http']): Promise<OpenAPIObject> {
  return bodyOf<OpenAPIObject>(await request(http).get('/docs-json').expect(200));
}

/** The operation of `method` (any case) on an OpenAPI path (`/tracks/{id}`), if documented. */
export function operationOf(doc: OpenAPIObject, path: string, method: string): Operation | undefined {
  const item = doc.paths[path] as Record<string, Operation | undefined> | undefined;
  return item?.[method.toLowerCase()];
}

// The service writes its responses, request bodies and schemas inline or as `$ref`s the test checks itself,
// so these read an object as what the test expects it to be.
export const asResponse = (response: ResponseObject | ReferenceObject | undefined) =>
  response as ResponseObject | undefined;
export const asRequestBody = (body: RequestBodyObject | ReferenceObject | undefined) =>
  body as RequestBodyObject | undefined;
export const asSchema = (schema: SchemaObject | ReferenceObject | undefined) => schema as SchemaObject | undefined;

/** The JSON schema of a response (`$ref` or inline). */
export const jsonSchemaOf = (response: ResponseObject | ReferenceObject | undefined) =>
  asResponse(response)?.content?.['application/json']?.schema;

/** A component schema by name. */
export const componentSchema = (doc: OpenAPIObject, name: string) => asSchema(doc.components?.schemas?.[name]);
