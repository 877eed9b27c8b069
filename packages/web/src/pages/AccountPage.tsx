import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, errorMessage, resetCsrf, unwrap } from '../api/client';
import { meQuery } from '../api/queries';
import { ConfirmButton } from '../components/ConfirmDialog';
import {
  Field,
  FormMessage,
  MIN_PASSWORD_LENGTH,
  passwordProblem,
  PasswordField,
  SubmitButton,
} from '../components/forms';
import { applyAppearance, storedAppearance, type Appearance } from '../theme';

export function AccountPage() {
  const me = useQuery(meQuery).data;
  return (
    <div className="page narrow">
      <h1>Account</h1>
      <p className="muted">
        {me?.email}
        {me?.isAdmin ? ' · administrator' : ''}
      </p>
      <Profile name={me?.name ?? ''} />
      <AppearancePicker />
      <ChangePassword />
      <DeleteAccount />
    </div>
  );
}

function Profile({ name: initial }: { name: string }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(initial);
  const save = useMutation({
    mutationFn: () => unwrap(api.PATCH('/api/v1/auth/me', { body: { name: name.trim() } })),
    onSuccess: ({ user }) => queryClient.setQueryData(meQuery.queryKey, user),
  });
  return (
    <section className="panel" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
        className="inline-form"
      >
        <Field
          label="Name"
          value={name}
          maxLength={200}
          autoComplete="name"
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="button primary" disabled={save.isPending}>
          Save
        </button>
      </form>
      <FormMessage
        error={save.error ? errorMessage(save.error) : undefined}
        success={save.isSuccess ? 'Saved.' : undefined}
      />
    </section>
  );
}

const APPEARANCES: Array<{ value: Appearance; label: string }> = [
  { value: 'system', label: 'As the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function AppearancePicker() {
  const [appearance, setAppearance] = useState(storedAppearance);
  return (
    <section className="panel" aria-labelledby="appearance-heading">
      <h2 id="appearance-heading">Appearance</h2>
      <fieldset className="segmented">
        <legend className="visually-hidden">Colour theme</legend>
        {APPEARANCES.map((option) => (
          <label key={option.value} className={appearance === option.value ? 'selected' : ''}>
            <input
              type="radio"
              name="appearance"
              value={option.value}
              checked={appearance === option.value}
              onChange={() => {
                setAppearance(option.value);
                applyAppearance(option.value);
              }}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [problems, setProblems] = useState<{ current?: string; next?: string }>({});
  const change = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/auth/password', {
          body: { currentPassword: current, newPassword: next },
        }),
      ),
    onSuccess: () => {
      setCurrent('');
      setNext('');
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = {
      current: current ? undefined : 'Enter your current password.',
      next:
        passwordProblem(next) ??
        (next === current ? 'Choose a password different from the current one.' : undefined),
    };
    setProblems(found);
    if (!found.current && !found.next) change.mutate();
  }

  return (
    <section className="panel" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form onSubmit={submit} noValidate>
        <PasswordField
          label="Current password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={problems.current}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Other browsers are signed out.`}
          error={problems.next}
        />
        <SubmitButton busy={change.isPending} busyLabel="Changing…">
          Change password
        </SubmitButton>
      </form>
      <FormMessage
        error={change.error ? errorMessage(change.error) : undefined}
        success={change.isSuccess ? 'Your password is changed.' : undefined}
      />
    </section>
  );
}

function DeleteAccount() {
  const [password, setPassword] = useState('');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return (
    <section className="panel danger-zone" aria-labelledby="delete-account-heading">
      <h2 id="delete-account-heading">Delete your account</h2>
      <p>Projects you own alone are deleted with it; shared ones stay with their members.</p>
      <PasswordField
        label="Password, to confirm"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <ConfirmButton
        label="Delete my account"
        title="Delete your account?"
        description="You are signed out everywhere and your account is gone. This cannot be undone."
        confirm="Delete my account"
        onConfirm={async () => {
          if (!password) throw new Error('Enter your password in the field above first.');
          await unwrap(api.DELETE('/api/v1/auth/me', { body: { password } }));
          resetCsrf();
          queryClient.clear();
          await navigate({ to: '/signup', search: { next: undefined } });
        }}
      />
    </section>
  );
}
