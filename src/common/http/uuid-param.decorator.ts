import { Param, ParseUUIDPipe } from '@nestjs/common';
import { validationFailed } from '../errors/domain.exception';

/** A UUID path parameter: a malformed one is the contract's 400, never a database error. */
export const UuidParam = (name = 'id'): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => validationFailed([{ field: name, message: `${name} must be a UUID` }]),
    }),
  );
