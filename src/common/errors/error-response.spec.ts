import { NotFoundException } from '@nestjs/common';
import { runInNewContext } from 'node:vm';
import { QueryFailedError } from 'typeorm';
import { DomainException } from './domain.exception';
import { ErrorCode } from './error-code.enum';
import { toErrorResponse } from './error-response';

describe(toErrorResponse.name, () => {
  it('answers a domain exception with its status, body and headers', () => {
    const error = new DomainException(ErrorCode.TooManyRequests, { headers: { 'Retry-After': '7' } });
    expect(toErrorResponse(error)).toEqual({
      status: 429,
      body: { error: 'Too many requests' },
      headers: { 'Retry-After': '7' },
      unexpected: false,
    });
  });

  it("maps Nest's 404 to the contract body", () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /x')).body).toEqual({ error: 'Not found' });
  });

  it('answers 503 without details when PostgreSQL cannot be reached', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toErrorResponse(refused)).toMatchObject({ status: 503, body: { error: 'Service unavailable' } });
    const terminated = new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly'));
    expect(toErrorResponse(terminated)).toMatchObject({ status: 503, body: { error: 'Service unavailable' } });
  });

  it('answers 503 for a socket error made in another realm (Node core under a VM context)', () => {
    const reset = Object.assign(runInNewContext("new Error('read ECONNRESET')") as object, { code: 'ECONNRESET' });
    expect(reset instanceof Error).toBe(false);
    expect(toErrorResponse(reset)).toMatchObject({ status: 503, body: { error: 'Service unavailable' } });
  });

  it('never leaks SQL or stack in a 500', () => {
    const failed = new QueryFailedError(
      'SELECT secret FROM t',
      [],
      Object.assign(new Error('syntax error'), { code: '42601' }),
    );
    expect(toErrorResponse(failed)).toEqual({
      status: 500,
      body: { error: 'Internal server error' },
      headers: {},
      unexpected: true,
    });
  });
});
