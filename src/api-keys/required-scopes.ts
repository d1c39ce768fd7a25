import { Reflector } from '@nestjs/core';
import type { Scope } from '../plans/scopes';

/** The scopes an API-key route declares through `@Scopes(...)` (an empty list: any valid key). */
export const RequiredScopes = Reflector.createDecorator<readonly Scope[]>();
