import { TuneTrailError } from 'tunetrail-sdk';

/** Raised by the app when the JWT is refused: the session is over and the user signs in again. */
export const isSessionExpired = (error: unknown): boolean => error instanceof TuneTrailError && error.status === 401;

const PLAN_NAMES: Record<string, string> = { free: 'Free', starter: 'Starter', pro: 'Pro', enterprise: 'Enterprise' };
export const planName = (id: string): string => PLAN_NAMES[id] ?? id;

/** Any failure of an API call, in words for the person at the screen (never the raw JSON). */
export function describeError(error: unknown): string {
  if (!(error instanceof TuneTrailError) || error.status === null) {
    return 'TuneTrail could not be reached. Check your connection and try again.';
  }
  const body = error.body ?? {};
  switch (error.status) {
    case 400: {
      const problems = (body.details ?? []).map((detail) => detail.message || detail.field);
      return problems.length > 0 ? `Please check the form: ${problems.join('; ')}.` : 'Please check the form.';
    }
    case 401:
      return 'Your session has expired. Please log in again.';
    case 403: {
      const scopes = body.required_scopes ?? [];
      return error.reason === 'plan' && scopes.length > 0
        ? `Your plan does not include ${scopes.join(', ')}. Upgrade your plan to use them.`
        : 'You are not allowed to do that.';
    }
    case 404:
      return 'That API key no longer exists. The list has been refreshed.';
    case 409:
      return `${error.error}.`;
    case 429:
      return 'Too many attempts in a short time. Wait a minute and try again.';
    default:
      return error.status >= 500
        ? 'TuneTrail is having trouble right now. Please try again in a moment.'
        : `The request failed: ${error.error}.`;
  }
}
