import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate } from '@tanstack/react-router';
import { DropdownMenu } from 'radix-ui';
import { api, resetCsrf, unwrap } from '../api/client';
import { meQuery } from '../api/queries';

/** The frame of every signed-in page: skip link, navigation, account menu. */
export function AppLayout() {
  const { data: user } = useQuery(meQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  async function logOut() {
    await unwrap(api.POST('/api/v1/auth/logout')).catch(() => undefined);
    resetCsrf();
    queryClient.clear();
    await navigate({ to: '/login', search: { next: undefined } });
  }

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <Link to="/" className="brand" aria-label="Quarry home">
          <span aria-hidden="true">▲</span> Quarry
        </Link>
        <nav aria-label="Main" className="main-nav">
          <Link to="/" activeOptions={{ exact: true }}>
            Projects
          </Link>
          <Link to="/keys">API keys</Link>
          {user?.isAdmin && <Link to="/admin">Administration</Link>}
        </nav>
        <DropdownMenu.Root>
          <DropdownMenu.Trigger className="button ghost account-button">
            <span className="visually-hidden">Account menu: </span>
            <span className="avatar" aria-hidden="true">
              {(user?.name || user?.email || '?').slice(0, 1).toUpperCase()}
            </span>
            <span className="account-name">{user?.name || user?.email}</span>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content className="menu" align="end" sideOffset={6}>
              <DropdownMenu.Label className="menu-label">{user?.email}</DropdownMenu.Label>
              <DropdownMenu.Item
                className="menu-item"
                onSelect={() => navigate({ to: '/account' })}
              >
                Account and appearance
              </DropdownMenu.Item>
              <DropdownMenu.Item className="menu-item" onSelect={() => navigate({ to: '/keys' })}>
                API keys
              </DropdownMenu.Item>
              <DropdownMenu.Separator className="menu-separator" />
              <DropdownMenu.Item className="menu-item" onSelect={() => void logOut()}>
                Log out
              </DropdownMenu.Item>
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
