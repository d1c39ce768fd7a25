import { useState, type FormEvent } from 'react';
import { TuneTrailError } from 'tunetrail-sdk';
import { describeError } from './messages';
import { client } from './session';
import { ErrorAlert, FormButtons } from './ErrorAlert';

interface Props {
  notice: string | null;
  onSignedIn: (token: string, expiresInSeconds: number) => void;
}

const MIN_PASSWORD = 10;

/** Log in, or create an account with the same two fields (a new account starts on the Free plan). */
export function SignInPage({ notice, onSignedIn }: Props) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(mode: 'login' | 'register') {
    setBusy(true);
    setError(null);
    try {
      const answer =
        mode === 'login'
          ? await client.auth.login({ email, password })
          : await client.auth.register({ email, password });
      onSignedIn(answer.access_token, answer.expires_in);
    } catch (failure) {
      setError(
        failure instanceof TuneTrailError && failure.status === 401
          ? 'Wrong email or password.'
          : failure instanceof TuneTrailError && failure.status === 409
            ? 'An account with this email already exists. Log in instead.'
            : describeError(failure),
      );
      setBusy(false);
    }
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void submit('login');
  };
  const onCreate = () => {
    const form = document.getElementById('sign-in') as HTMLFormElement;
    if (form.reportValidity()) void submit('register');
  };

  return (
    <main id="main" className="sign-in">
      <h1>Sign in to TuneTrail</h1>
      {notice && (
        <p role="status" className="notice">
          {notice}
        </p>
      )}
      <form id="sign-in" onSubmit={onSubmit}>
        <label htmlFor="email">Email</label>
        <input
          id="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete="current-password"
          required
          minLength={MIN_PASSWORD}
          aria-describedby="password-hint"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <p id="password-hint" className="hint">
          At least {MIN_PASSWORD} characters.
        </p>
        <ErrorAlert message={error} />
        <FormButtons submit="Log in" busy={busy} secondary="Create account" onSecondary={onCreate} />
      </form>
    </main>
  );
}
