import { TuneTrailManagement } from 'tunetrail-sdk';

/** The JWT lives in this tab's sessionStorage only: never a cookie, never a URL. */
const STORAGE_KEY = 'tunetrail.session';

export interface Session {
  token: string;
  /** Epoch milliseconds at which the JWT expires. */
  expiresAt: number;
}

/** The one client of the API (the SDK's management client); a long 429 wait is shown, not waited out. */
export const client = new TuneTrailManagement({ baseUrl: location.origin, maxRetryWaitMs: 5000 });

export function loadSession(): Session | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return session && session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(token: string, expiresInSeconds: number): Session {
  const session = { token, expiresAt: Date.now() + expiresInSeconds * 1000 };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

export function clearSession(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}
