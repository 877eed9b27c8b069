import { useState, type FormEvent, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useRouter, useSearch } from '@tanstack/react-router';
import { api, resetCsrf, unwrap } from '../api/client';
import { meQuery } from '../api/queries';
import {
  CredentialFields,
  EmailField,
  Field,
  FormMessage,
  PasswordField,
  SubmitButton,
  emailProblem,
  passwordProblem,
  useCredentials,
} from '../components/forms';
import { useAction } from '../components/useAction';

/** Only a path of this site: never a redirect to another origin. */
const safeNext = (next: string | undefined) =>
  next && next.startsWith('/') && !next.startsWith('//') ? next : '/';

function AuthFrame({
  title,
  next,
  children,
}: {
  title: string;
  /** Where the visitor goes afterwards: an invitation link says so here. */
  next?: string;
  children: ReactNode;
}) {
  return (
    <main id="main" className="auth-page">
      <div className="auth-card">
        <p className="brand big">
          <span aria-hidden="true">▲</span> Quarry
        </p>
        <h1>{title}</h1>
        {next?.startsWith('/invitations/') && (
          <p className="form-success" role="status">
            You have been invited to a project. Log in, or create an account with the address the
            invitation was sent to, and it opens.
          </p>
        )}
        {children}
      </div>
    </main>
  );
}

/** Signs in (or up) and goes where the visitor was headed. */
function useSignedIn() {
  const queryClient = useQueryClient();
  const router = useRouter();
  return async (user: Awaited<ReturnType<NonNullable<typeof meQuery.queryFn>>>, next?: string) => {
    resetCsrf();
    queryClient.clear();
    queryClient.setQueryData(meQuery.queryKey, user);
    router.history.push(safeNext(next));
  };
}

export function LogInPage() {
  const { next } = useSearch({ from: '/login' });
  const signedIn = useSignedIn();
  const credentials = useCredentials({ isNew: false });
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!credentials.check()) return;
    const { email, password } = credentials;
    await run(async () => {
      const { user } = await unwrap(api.POST('/api/v1/auth/login', { body: { email, password } }));
      await signedIn(user, next);
    });
  }

  return (
    <AuthFrame title="Log in" next={next}>
      <form onSubmit={submit} noValidate>
        <CredentialFields credentials={credentials} autoFocus />
        <FormMessage error={error} />
        <SubmitButton busy={busy} busyLabel="Logging in…" wide>
          Log in
        </SubmitButton>
      </form>
      <p className="auth-links">
        <Link to="/forgot-password">Forgot your password?</Link>
        <Link to="/signup" search={{ next }}>
          Create an account
        </Link>
      </p>
    </AuthFrame>
  );
}

export function SignUpPage() {
  const { next } = useSearch({ from: '/signup' });
  const signedIn = useSignedIn();
  const [name, setName] = useState('');
  const credentials = useCredentials({ isNew: true });
  const { busy, error, run } = useAction();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!credentials.check()) return;
    const { email, password } = credentials;
    await run(async () => {
      const { user } = await unwrap(
        api.POST('/api/v1/auth/signup', {
          body: { email, password, ...(name.trim() ? { name: name.trim() } : {}) },
        }),
      );
      await signedIn(user, next);
    });
  }

  return (
    <AuthFrame title="Create your account" next={next}>
      <form onSubmit={submit} noValidate>
        <Field
          label="Name (optional)"
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <CredentialFields credentials={credentials} />
        <FormMessage error={error} />
        <SubmitButton busy={busy} busyLabel="Creating…" wide>
          Sign up
        </SubmitButton>
      </form>
      <p className="auth-links">
        <span>
          Have an account?{' '}
          <Link to="/login" search={{ next }}>
            Log in
          </Link>
        </span>
      </p>
    </AuthFrame>
  );
}

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [problem, setProblem] = useState<string>();
  const { busy, error, run } = useAction();
  const [sent, setSent] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = emailProblem(email);
    setProblem(found);
    if (found) return;
    await run(async () => {
      await unwrap(api.POST('/api/v1/auth/password-reset', { body: { email } }));
      setSent(true);
    });
  }

  return (
    <AuthFrame title="Reset your password">
      {sent ? (
        <p role="status">
          If an account uses {email}, a link to choose a new password is on its way. It works once
          and expires soon.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <EmailField value={email} onChange={(e) => setEmail(e.target.value)} error={problem} />
          <FormMessage error={error} />
          <SubmitButton busy={busy} busyLabel="Sending…" wide>
            Send reset link
          </SubmitButton>
        </form>
      )}
      <p className="auth-links">
        <Link to="/login" search={{ next: undefined }}>
          Back to log in
        </Link>
      </p>
    </AuthFrame>
  );
}

export function ResetPasswordPage() {
  const { token } = useSearch({ from: '/reset-password' });
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problems, setProblems] = useState<{ password?: string; again?: string }>({});
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = {
      password: passwordProblem(password),
      again: password === again ? undefined : 'The two passwords differ.',
    };
    setProblems(found);
    if (found.password || found.again || !token) return;
    await run(async () => {
      await unwrap(
        api.POST('/api/v1/auth/password-reset/confirm', {
          body: { token, newPassword: password },
        }),
      );
      setDone(true);
    });
  }

  if (!token) {
    return (
      <AuthFrame title="Choose a new password">
        <p role="alert">
          This link has no reset token. Open the link from the e-mail again, or ask for a new one.
        </p>
        <Link to="/forgot-password">Ask for a new link</Link>
      </AuthFrame>
    );
  }
  return (
    <AuthFrame title="Choose a new password">
      {done ? (
        <>
          <p role="status">Your password is changed. Log in with the new one.</p>
          <Link to="/login" search={{ next: undefined }} className="button primary">
            Log in
          </Link>
        </>
      ) : (
        <form onSubmit={submit} noValidate>
          <PasswordField
            isNew
            label="New password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={problems.password}
          />
          <Field
            label="New password again"
            type="password"
            autoComplete="new-password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            error={problems.again}
          />
          <FormMessage error={error} />
          <SubmitButton busy={busy} busyLabel="Saving…" wide>
            Set password
          </SubmitButton>
        </form>
      )}
    </AuthFrame>
  );
}
