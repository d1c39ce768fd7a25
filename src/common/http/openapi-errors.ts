import type { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_DEFINITIONS, ErrorCode } from '../errors/error-code.enum';

type Responses = Record<string, { description: string; content?: Record<string, unknown> }>;
interface OperationLike {
  parameters?: Array<{ in?: string }>;
  requestBody?: unknown;
  responses: Responses;
}

const ERROR_SCHEMA = 'ErrorResponse';
const VALIDATION_ERROR_SCHEMA = 'ValidationErrorResponse';
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string', description: 'What went wrong, for people' } },
};
const validationErrorSchema = {
  type: 'object',
  required: ['error', 'details'],
  properties: {
    error: { type: 'string', enum: [ERROR_DEFINITIONS[ErrorCode.ValidationFailed].message] },
    details: {
      type: 'array',
      maxItems: 50,
      items: {
        type: 'object',
        required: ['field', 'message'],
        properties: { field: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
};

const json = (schema: object) => ({ 'application/json': { schema } });

/** A documented response the route left out: its own declaration, when it has one, wins. */
function addResponse(operation: OperationLike, status: number, description: string, schema: object): void {
  const key = String(status);
  const existing = operation.responses[key];
  if (existing === undefined) operation.responses[key] = { description, content: json(schema) };
  else if (existing.content === undefined) existing.content = json(schema);
}

/**
 * The errors every route can answer, added to each operation of the document so that a route added
 * later is documented with no edit: 400 everywhere (a query string with a NUL character is refused on
 * any route), 413 and 415 where there is a body, 414 where there is a path parameter, 503 everywhere.
 */
export function documentCommonErrors(document: OpenAPIObject): OpenAPIObject {
  document.components = document.components ?? {};
  document.components.schemas = {
    ...document.components.schemas,
    [ERROR_SCHEMA]: errorSchema,
    [VALIDATION_ERROR_SCHEMA]: validationErrorSchema,
  };
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as unknown[]) {
      if (operation === null || typeof operation !== 'object' || !('responses' in operation)) continue;
      const op = operation as OperationLike;
      const inputs = new Set((op.parameters ?? []).map((parameter) => parameter.in));
      const body = op.requestBody !== undefined;
      addResponse(
        op,
        400,
        'Validation failed: `details` names each bad field (at most 50)',
        ref(VALIDATION_ERROR_SCHEMA),
      );
      if (body) {
        addResponse(op, 413, 'Body over the limit (1 MiB; 16 KiB on /auth/*)', ref(ERROR_SCHEMA));
        addResponse(op, 415, 'Body not sent as `Content-Type: application/json`', ref(ERROR_SCHEMA));
      }
      if (inputs.has('path')) addResponse(op, 414, 'A path parameter over 100 characters', ref(ERROR_SCHEMA));
      addResponse(op, 503, 'A backing store is down or too slow (answered within the bound)', ref(ERROR_SCHEMA));
    }
  }
  return document;
}
