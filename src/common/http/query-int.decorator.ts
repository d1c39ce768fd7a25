import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsInt, Max } from 'class-validator';

const DECIMAL_INTEGER = /^-?\d{1,15}$/;

/**
 * A whole-number query parameter: only plain decimal digits convert (`Number()` would also take
 * `''`, `' '`, `0x10` and `1e308`), and no more than 15 of them, so every accepted value is a safe
 * integer PostgreSQL takes. Anything else stays a string and fails `@IsInt()` with a 400.
 */
export const QueryInt = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
    ),
    IsInt(),
    Max(Number.MAX_SAFE_INTEGER),
  );
