import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { DECORATORS } from '@nestjs/swagger';
import { ValidationDetail, validationFailed } from '../errors/domain.exception';

function flatten(errors: ValidationError[], parent = ''): ValidationDetail[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

const isNullable = (metatype: abstract new (...args: never[]) => unknown, field: string): boolean =>
  (
    Reflect.getMetadata(DECORATORS.API_MODEL_PROPERTIES, metatype.prototype as object, field) as
      { nullable?: boolean } | undefined
  )?.nullable === true;

/**
 * Whitelists DTO fields, refuses unknown ones, converts types, and answers the contract's 400 body.
 * `null` is a value only where the DTO documents the field as nullable: class-validator's
 * `@IsOptional()` lets `null` through as if the field were absent.
 */
@Injectable()
class ContractValidationPipe extends ValidationPipe {
  override transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const { metatype } = metadata;
    if (metadata.type === 'body' && metatype && value !== null && typeof value === 'object') {
      const details = Object.entries(value)
        .filter(([field, item]) => item === null && !isNullable(metatype, field))
        .map(([field]) => ({ field, message: `${field} must not be null` }));
      if (details.length > 0) throw validationFailed(details);
    }
    return super.transform(value, metadata) as Promise<unknown>;
  }
}

export function createValidationPipe(): ValidationPipe {
  return new ContractValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}
