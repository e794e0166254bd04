import { type FormEvent, useState } from 'react';
import { AdminApiError, AdminClient } from '../api/admin-client';

/** Why a key was not accepted, in words an admin can act on. */
function loginError(error: unknown): string {
  if (error instanceof AdminApiError && error.status === 401) {
    return 'That admin key was refused (401). Use the value of ADMIN_API_KEY, or the key the service printed in its log at start.';
  }
  if (error instanceof AdminApiError) return error.message;
  return `The gateway did not answer as expected: ${(error as Error).message}`;
}

/** Asks for the admin key once per browser session and checks it against the admin API. */
export function LoginScreen({ onLogin, notice }: { onLogin: (key: string) => void; notice?: string }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | undefined>(notice);
  const [checking, setChecking] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const typed = key.trim();
    if (!typed) {
      setError('Enter the admin key.');
      return;
    }
    setChecking(true);
    setError(undefined);
    try {
      await new AdminClient(typed).get('/admin/keys');
      onLogin(typed);
    } catch (e) {
      setError(loginError(e));
      setChecking(false);
    }
  }

  return (
    <main className="login">
      <form className="login-card" onSubmit={submit} data-testid="login-form">
        <h1>
          aigw <span className="muted">cost dashboard</span>
        </h1>
        <p className="muted">
          Enter the admin key: <code>ADMIN_API_KEY</code>, or the key the service printed at start. It is kept
          in this tab only, until you close it or sign out.
        </p>
        <label className="field">
          <span>Admin key</span>
          <input
            type="password"
            name="adminKey"
            autoComplete="off"
            spellCheck={false}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            data-testid="admin-key-input"
          />
        </label>
        {error && (
          <p className="notice notice-error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={checking}>
          {checking ? 'Checking…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
