import { useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';

/** A labelled input with its hint and its error, tied together for screen readers. */
export function Field({
  label,
  hint,
  error,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: ReactNode; error?: string }) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** A form-level message: the server's refusal in words, or a confirmation. */
export function FormMessage({ error, success }: { error?: string; success?: string }) {
  if (error) {
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    );
  }
  if (success) {
    return (
      <p className="form-success" role="status">
        {success}
      </p>
    );
  }
  return null;
}

export const MIN_PASSWORD_LENGTH = 10;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function emailProblem(email: string): string | undefined {
  if (!email.trim()) return 'Enter an e-mail address.';
  if (!EMAIL.test(email.trim())) return 'This does not look like an e-mail address.';
  return undefined;
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  return undefined;
}

type FieldProps = Parameters<typeof Field>[0];

/** An e-mail address field, as browsers and password managers expect it. */
export function EmailField(props: Omit<FieldProps, 'label' | 'type'> & { label?: string }) {
  return <Field label="E-mail" type="email" autoComplete="email" {...props} />;
}

/** A password field; a new password says how long it must be. */
export function PasswordField({
  isNew = false,
  ...props
}: Omit<FieldProps, 'type'> & { isNew?: boolean }) {
  return (
    <Field
      type="password"
      autoComplete={isNew ? 'new-password' : 'current-password'}
      hint={isNew ? `At least ${MIN_PASSWORD_LENGTH} characters.` : undefined}
      {...props}
    />
  );
}

/**
 * The e-mail address and password a form asks for, checked before it is sent. A new password
 * must be long enough; a current one need only be given.
 */
export function useCredentials({ isNew }: { isNew: boolean }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<{ email?: string; password?: string }>({});
  return {
    email,
    password,
    isNew,
    problems,
    setEmail,
    setPassword,
    /** Whether both may be sent; otherwise says what is wrong with each, beside it. */
    check() {
      const found = {
        email: emailProblem(email),
        password: isNew ? passwordProblem(password) : password ? undefined : 'Enter your password.',
      };
      setProblems(found);
      return !found.email && !found.password;
    },
    clear() {
      setEmail('');
      setPassword('');
    },
  };
}

/** The fields of `useCredentials`. */
export function CredentialFields({
  credentials: c,
  passwordLabel = 'Password',
  autoFocus,
}: {
  credentials: ReturnType<typeof useCredentials>;
  passwordLabel?: string;
  autoFocus?: boolean;
}) {
  return (
    <>
      <EmailField
        value={c.email}
        onChange={(e) => c.setEmail(e.target.value)}
        error={c.problems.email}
        autoFocus={autoFocus}
      />
      <PasswordField
        isNew={c.isNew}
        label={passwordLabel}
        value={c.password}
        onChange={(e) => c.setPassword(e.target.value)}
        error={c.problems.password}
      />
    </>
  );
}

/** A form's submit button, which says what is happening while the form is sent. */
export function SubmitButton({
  busy,
  busyLabel,
  wide = false,
  children,
}: {
  busy: boolean;
  busyLabel: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="submit" className={`button primary${wide ? ' wide' : ''}`} disabled={busy}>
      {busy ? busyLabel : children}
    </button>
  );
}
