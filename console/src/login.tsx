import { useState } from 'preact/hooks';
import type { Session } from './api.ts';
import { call, messageOf } from './api.ts';

/** Reads a form's named fields as strings. */
function fields(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  new FormData(form).forEach((value, key) => {
    out[key] = typeof value === 'string' ? value : '';
  });
  return out;
}

/**
 * The login page: email, password and, for an email that is a user of several tenants, the tenant.
 * The server's message (wrong password, too many failures) is shown under the form.
 */
export function LoginPage({ onLogin }: { onLogin: (s: Session) => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const { email = '', password = '', tenant = '' } = fields(event.currentTarget as HTMLFormElement);
    setBusy(true);
    try {
      onLogin(
        await call<Session>('POST', '/v1/session', {
          email,
          password,
          ...(tenant.trim() === '' ? {} : { tenant: tenant.trim() }),
        }),
      );
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  };
  return (
    <main>
      <h1>Log in to opendmp</h1>
      <form onSubmit={(e) => void submit(e)} aria-describedby="login-error">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required />
        <label for="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
        <label for="tenant">Tenant</label>
        <input id="tenant" name="tenant" type="text" aria-describedby="tenant-hint" />
        <small id="tenant-hint">Only if your email is a user of several tenants.</small>
        <button type="submit" disabled={busy}>
          Log in
        </button>
        <p id="login-error" role="alert" class="error">
          {error}
        </p>
      </form>
    </main>
  );
}

/**
 * The forced password change after a one-time password (`mustChangePassword`): nothing else answers
 * until it is done. The new password needs at least 12 characters (the server says so if not).
 */
export function PasswordPage({ onChanged }: { onChanged: (s: Session) => void }) {
  const [error, setError] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    const { current = '', next = '' } = fields(event.currentTarget as HTMLFormElement);
    try {
      onChanged(await call<Session>('POST', '/v1/session/password', { current, new: next }));
    } catch (e) {
      setError(messageOf(e));
    }
  };
  return (
    <main>
      <h1>Choose your password</h1>
      <p>Your password was a one-time password: choose your own (at least 12 characters) to go on.</p>
      <form onSubmit={(e) => void submit(e)}>
        <label for="current">Current password</label>
        <input id="current" name="current" type="password" autoComplete="current-password" required />
        <label for="next">New password</label>
        <input id="next" name="next" type="password" autoComplete="new-password" minLength={12} required />
        <button type="submit">Change password</button>
        <p role="alert" class="error">
          {error}
        </p>
      </form>
    </main>
  );
}
