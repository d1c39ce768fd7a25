import { useCallback, useEffect, useState } from 'react';
import type { Plan, User } from 'tunetrail-sdk';
import { ApiKeysPage } from './ApiKeysPage';
import { describeError, isSessionExpired } from './messages';
import { followLink, navigate, ROUTES, usePath } from './router';
import { clearSession, client, loadSession, saveSession, type Session } from './session';
import { SettingsPage } from './SettingsPage';
import { SignInPage } from './SignInPage';
import { ErrorAlert } from './ErrorAlert';

export interface Account {
  user: User;
  plans: Plan[];
  plan: Plan;
}

const SESSION_EXPIRED = 'Your session has expired. Please log in again.';

export function App() {
  const path = usePath();
  const [session, setSession] = useState<Session | null>(() => loadSession());
  const [account, setAccount] = useState<Account | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const signOut = useCallback((message: string | null) => {
    clearSession();
    client.setAccessToken(null);
    setSession(null);
    setAccount(null);
    setNotice(message);
  }, []);

  /** Every API failure goes through here: a refused JWT ends the session, anything else is shown. */
  const handleError = useCallback(
    (error: unknown): string => {
      if (isSessionExpired(error)) signOut(SESSION_EXPIRED);
      return describeError(error);
    },
    [signOut],
  );

  useEffect(() => {
    if (!session) return;
    client.setAccessToken(session.token);
    const timer = setTimeout(() => signOut(SESSION_EXPIRED), session.expiresAt - Date.now());
    let cancelled = false;
    Promise.all([client.auth.me(), client.plans.list()])
      .then(([user, plans]) => {
        if (cancelled) return;
        const plan = plans.find((candidate) => candidate.id === user.plan) ?? plans[0];
        setAccount({ user, plans, plan });
      })
      .catch((error: unknown) => {
        if (!cancelled) setNotice(handleError(error));
      });
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [session, signOut, handleError]);

  useEffect(() => {
    document.title = session ? 'TuneTrail Dashboard' : 'Sign in · TuneTrail Dashboard';
  }, [session]);

  if (!session) {
    return (
      <SignInPage
        notice={notice}
        onSignedIn={(token, expiresIn) => {
          setNotice(null);
          setSession(saveSession(token, expiresIn));
        }}
      />
    );
  }

  const page =
    path === ROUTES.apiKeys ? 'apiKeys' : path === ROUTES.settings ? 'settings' : path === '/dashboard' ? 'home' : null;

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <a className="brand" href={ROUTES.home} onClick={followLink}>
          TuneTrail
        </a>
        <nav aria-label="Main">
          <a href={ROUTES.home} onClick={followLink} aria-current={page === 'home' ? 'page' : undefined}>
            Home
          </a>
          <a
            href={ROUTES.settings}
            onClick={followLink}
            aria-current={page === 'settings' || page === 'apiKeys' ? 'page' : undefined}
          >
            Settings
          </a>
        </nav>
        <div className="account">
          {account && <span>{account.user.email}</span>}
          <button type="button" className="secondary" onClick={() => signOut(null)}>
            Log out
          </button>
        </div>
      </header>
      <main id="main">
        <ErrorAlert message={notice} />
        {!account ? (
          <p>Loading your account…</p>
        ) : page === 'home' ? (
          <HomePage account={account} />
        ) : page === 'settings' ? (
          <SettingsPage account={account} />
        ) : page === 'apiKeys' ? (
          <ApiKeysPage account={account} onError={handleError} />
        ) : (
          <NotFoundPage />
        )}
      </main>
    </>
  );
}

function HomePage({ account }: { account: Account }) {
  return (
    <>
      <h1>Welcome to TuneTrail</h1>
      <p>
        Signed in as <strong>{account.user.email}</strong> on the <strong>{account.plan.name}</strong> plan.
      </p>
      <p>
        Your apps reach TuneTrail with API keys: create and manage them under Settings, then API Keys.{' '}
        <a href={ROUTES.apiKeys} onClick={followLink}>
          Go to your keys
        </a>
      </p>
    </>
  );
}

function NotFoundPage() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <button type="button" onClick={() => navigate(ROUTES.home)}>
          Go to the dashboard home
        </button>
      </p>
    </>
  );
}
