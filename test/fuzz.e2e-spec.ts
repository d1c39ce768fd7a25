import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import {
  authorizationFor,
  Credentials,
  fetchOpenApi,
  fillPath,
  OpenApiDocument,
  Operation,
  operationsOf,
  prepareAccount,
} from './support/operations';
import { startTestApp, TestApp } from './support/test-app';

/** The whole suite's budget, shared out between the operations of the document. */
const TOTAL_BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 50_000);
const RUNS_PER_OPERATION = 10_000;
/** Runs every operation gets whatever the machine's speed; the time budget only bounds the rest. */
const MIN_RUNS_PER_OPERATION = 3;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

type Schema = Record<string, unknown>;

const LONE_SURROGATES = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '%zz',
  '%00',
  '../../etc/passwd',
  "' OR 1=1 --",
  '9223372036854775807',
  '1e308',
  '-1',
  'null',
  '{}',
  'x'.repeat(300),
  '\u202e\ufeff',
  '😀',
];

const hostileString = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A value the schema documents (resolved `$ref`s), the happy path the mutations start from. */
function fromSchema(schema: Schema | undefined, document: OpenApiDocument, depth = 0): fc.Arbitrary<unknown> {
  if (schema === undefined || depth > 4) return anyJson;
  const ref = schema.$ref as string | undefined;
  if (ref) return fromSchema(document.components.schemas?.[ref.split('/').pop()!] as Schema, document, depth + 1);
  const nullable = schema.nullable === true;
  const base = ((): fc.Arbitrary<unknown> => {
    if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
    const oneOf = (schema.oneOf ?? schema.anyOf ?? schema.allOf) as Schema[] | undefined;
    if (oneOf) return fc.oneof(...oneOf.map((item) => fromSchema(item, document, depth + 1)));
    switch (schema.type) {
      case 'integer':
        return fc.integer({
          min: typeof schema.minimum === 'number' ? Math.max(schema.minimum, -1e9) : -1000,
          max: typeof schema.maximum === 'number' ? Math.min(schema.maximum, 1e9) : 1e6,
        });
      case 'number':
        return fc.double({
          min: typeof schema.minimum === 'number' ? schema.minimum : -1e6,
          max: typeof schema.maximum === 'number' ? schema.maximum : 1e6,
          noNaN: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(fromSchema(schema.items as Schema, document, depth + 1), { maxLength: 4 });
      case 'object': {
        const properties = (schema.properties ?? {}) as Record<string, Schema>;
        const required = new Set((schema.required ?? []) as string[]);
        return fc.record(
          Object.fromEntries(
            Object.entries(properties).map(([name, property]) => [name, fromSchema(property, document, depth + 1)]),
          ),
          { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) },
        );
      }
      case 'string':
        if (schema.format === 'uuid') return fc.uuid();
        if (schema.format === 'date-time') {
          return fc
            .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
            .map((date) => date.toISOString());
        }
        return fc.string({
          minLength: typeof schema.minLength === 'number' ? schema.minLength : 0,
          maxLength: typeof schema.maxLength === 'number' ? Math.min(schema.maxLength, 64) : 32,
        });
      default:
        return anyJson;
    }
  })();
  return nullable ? fc.option(base, { nil: null }) : base;
}

/** The documented value, or a mutation of it: a field replaced, removed, nulled or added. */
function mutatedBody(schema: Schema | undefined, document: OpenApiDocument): fc.Arbitrary<string> {
  const valid = fromSchema(schema, document);
  const mutated = fc
    .tuple(valid, hostileString, fc.oneof(anyJson, hostileString), fc.nat(3))
    .map(([value, key, replacement, kind]) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return replacement;
      const copy = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      const target = keys.length > 0 ? keys[key.length % keys.length] : key;
      if (kind === 0) copy[target] = replacement;
      else if (kind === 1) delete copy[target];
      else if (kind === 2) copy[target] = null;
      else copy[key] = replacement;
      return copy;
    });
  return fc.oneof(
    { weight: 3, arbitrary: valid.map((value) => JSON.stringify(value)) },
    { weight: 5, arbitrary: mutated.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.constantFrom('', 'null', '{', '[]', '{"a":' + '['.repeat(64) + ']'.repeat(64) + '}') },
  );
}

interface FuzzRequest {
  url: string;
  body?: string;
  contentType?: string;
  authorization?: string;
}

function requestFor(
  operation: Operation,
  document: OpenApiDocument,
  credentials: Credentials,
): fc.Arbitrary<FuzzRequest> {
  const parameters = operation.operation.parameters ?? [];
  const pathParameters = parameters.filter((parameter) => parameter.in === 'path');
  const queryParameters = parameters.filter((parameter) => parameter.in === 'query');
  const pathValue = (schema?: Schema) =>
    fc.oneof(
      { weight: 3, arbitrary: fromSchema(schema, document).map(String) },
      { weight: 1, arbitrary: fc.constant(randomUUID()) },
      { weight: 2, arbitrary: hostileString },
    );
  const queryValue = (schema?: Schema) =>
    fc.oneof(
      {
        weight: 3,
        arbitrary: fromSchema(schema, document).map((value) =>
          typeof value === 'string' ? value : JSON.stringify(value),
        ),
      },
      { weight: 2, arbitrary: hostileString },
    );
  const path = fc
    .tuple(...pathParameters.map((parameter) => pathValue(parameter.schema)), fc.boolean())
    .map((values) => {
      const encode = values[values.length - 1] as boolean;
      const byName = new Map(pathParameters.map((parameter, index) => [parameter.name, String(values[index])]));
      return fillPath(operation.path, (name) => {
        const value = byName.get(name) ?? '';
        // A lone surrogate cannot be percent-encoded (URIError): it travels as U+FFFD, as a client would send it.
        return encode ? encodeURIComponent(value.replace(LONE_SURROGATES, '\ufffd')) : value.replace(/[/?#]/g, '_');
      });
    });
  const query = fc
    .tuple(
      fc.array(fc.constantFrom(...(queryParameters.length > 0 ? queryParameters : [{ name: 'q' }])), { maxLength: 4 }),
      fc.array(queryValue(), { minLength: 4, maxLength: 4 }),
      fc.option(fc.tuple(hostileString, hostileString)),
    )
    .map(([names, values, extra]) => {
      const params = new URLSearchParams();
      names.forEach((parameter, index) => params.append(parameter.name, values[index]));
      if (extra) params.append(extra[0], extra[1]);
      const text = params.toString();
      return text === '' ? '' : `?${text}`;
    });
  const body = operation.operation.requestBody
    ? fc.option(mutatedBody(operation.operation.requestBody.content['application/json']?.schema, document), {
        freq: 8,
        nil: undefined,
      })
    : fc.constant(undefined);
  const contentType = fc.oneof(
    { weight: 12, arbitrary: fc.constant('application/json') },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', '*/*') },
  );
  const authorization = fc.oneof(
    { weight: 12, arbitrary: fc.constant(authorizationFor(operation.auth, credentials)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        undefined,
        'Bearer',
        `Bearer ${credentials.jwt} junk`,
        `Bearer ${credentials.apiKey}`,
        `Bearer ${credentials.jwt}`,
        `Basic ${credentials.apiKey}`,
        'Bearer tt_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      ),
    },
  );
  return fc
    .record({ path, query, body, contentType, authorization })
    .map(({ path: p, query: q, body: b, contentType: c, authorization: a }) => ({
      url: p + q,
      body: b,
      contentType: b === undefined ? undefined : c,
      authorization: a,
    }));
}

/** Compiles the documented 2xx schemas with the document's components resolvable by `$ref`. */
function schemaValidator(document: OpenApiDocument): (schema: Schema) => ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi');
  const cache = new Map<Schema, ValidateFunction>();
  return (schema) => {
    let validate = cache.get(schema);
    if (!validate) {
      const rewritten = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'),
      ) as Schema;
      validate = ajv.compile(rewritten);
      cache.set(schema, validate);
    }
    return validate;
  };
}

describe('Fuzz: every documented operation answers hostile requests within the contract', () => {
  let t: TestApp;
  let fastify: FastifyInstance;
  let credentials: Credentials;
  let document: OpenApiDocument;

  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '1000000' } });
    fastify = t.app.getHttpAdapter().getInstance();
    credentials = await prepareAccount(t);
    document = await fetchOpenApi(t);
  });
  afterAll(() => t.close());

  it(
    `never answers 5xx, an undocumented status or a body off its schema (seed ${SEED})`,
    async () => {
      const operations = operationsOf(document);
      expect(operations.length).toBeGreaterThan(10);
      const validatorFor = schemaValidator(document);
      const perOperationMs = Math.floor(TOTAL_BUDGET_MS / operations.length);
      const runs: Record<string, number> = {};
      for (const operation of operations) {
        const label = `${operation.method.toUpperCase()} ${operation.path}`;
        runs[label] = 0;
        const property = fc.asyncProperty(requestFor(operation, document, credentials), async (req) => {
          runs[label] += 1;
          const headers: Record<string, string> = {};
          if (req.contentType) headers['content-type'] = req.contentType;
          if (req.authorization) headers.authorization = req.authorization;
          const res = await fastify.inject({
            method: operation.method.toUpperCase() as 'GET',
            url: req.url,
            headers,
            payload: req.body,
          });
          const where = `${label} ${JSON.stringify(req).slice(0, 400)} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
          if (res.statusCode >= 500 && res.statusCode !== 503) throw new Error(`5xx: ${where}`);
          const documented =
            operation.operation.responses[String(res.statusCode)] ?? operation.operation.responses.default;
          if (!documented) throw new Error(`undocumented status: ${where}`);
          if (res.statusCode === 204) return;
          const mediaType = String(res.headers['content-type'] ?? '').split(';')[0];
          if (res.statusCode < 300 && mediaType !== 'application/json') {
            // A download (text/csv): answered in a media type the operation documents.
            if (!documented.content?.[mediaType]) throw new Error(`undocumented media type ${mediaType}: ${where}`);
            return;
          }
          const body: unknown = res.body === '' ? undefined : JSON.parse(res.body);
          if (res.statusCode >= 400) {
            const error = body as { error?: unknown; details?: unknown };
            if (typeof error?.error !== 'string') throw new Error(`error body without "error": ${where}`);
            if (error.error === 'Validation failed' && !Array.isArray(error.details)) {
              throw new Error(`validation error without details: ${where}`);
            }
          }
          const schema = documented.content?.['application/json']?.schema;
          if (res.statusCode < 300 && schema) {
            const validate = validatorFor(schema);
            if (!validate(body)) throw new Error(`2xx off schema ${JSON.stringify(validate.errors)}: ${where}`);
          }
        });
        await fc.assert(property, { seed: SEED, numRuns: MIN_RUNS_PER_OPERATION, endOnFailure: true });
        const details = await fc.check(property, {
          seed: SEED + 1,
          numRuns: RUNS_PER_OPERATION,
          interruptAfterTimeLimit: perOperationMs,
          markInterruptAsFailure: false,
          endOnFailure: true,
        });
        // fast-check fails a property interrupted before its first run; only a counterexample is a failure here.
        if (details.failed && details.counterexample !== null) throw new Error(fc.defaultReportMessage(details));
      }
      const total = Object.values(runs).reduce((sum, count) => sum + count, 0);
      process.stdout.write(
        `fuzz: ${total} requests over ${operations.length} operations, seed ${SEED} (FUZZ_SEED to replay)\n`,
      );
      expect(Math.min(...Object.values(runs))).toBeGreaterThan(0);
    },
    TOTAL_BUDGET_MS + 60_000,
  );
});
