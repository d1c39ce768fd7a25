import type { UserRole } from '../users/user.entity';

/** What a valid dashboard JWT resolves to (`request.user`), read with `@CurrentUser()`. */
export interface AuthenticatedUser {
  id: string;
  email: string;
  role: UserRole;
}

/** Claims of the access tokens this service signs. The plan is deliberately absent: it changes. */
export interface AccessTokenPayload {
  sub: string;
}
