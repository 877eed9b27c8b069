import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { meQuery } from './api/queries';
import { AppLayout } from './components/AppLayout';
import { NotFound, RouteError } from './components/RouteError';

interface RouterContext {
  queryClient: QueryClient;
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
const whole = (value: unknown) => {
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
};

/** A search's state lives in the address, so it can be shared and the Back button works. */
export interface SearchParams {
  q?: string;
  mode?: 'keyword' | 'semantic';
  kind?: string;
  from?: string;
  to?: string;
  page?: number;
  scores?: boolean;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
  errorComponent: RouteError,
});

// Pages for people who are not signed in.
const nextSearch = (search: Record<string, unknown>) => ({ next: text(search.next) });
const tokenSearch = (search: Record<string, unknown>) => ({ token: text(search.token) });

const logInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: nextSearch,
  component: lazyRouteComponent(() => import('./pages/AuthPages'), 'LogInPage'),
});
const signUpRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/signup',
  validateSearch: nextSearch,
  component: lazyRouteComponent(() => import('./pages/AuthPages'), 'SignUpPage'),
});
const forgotRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/forgot-password',
  component: lazyRouteComponent(() => import('./pages/AuthPages'), 'ForgotPasswordPage'),
});
const resetRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/reset-password',
  validateSearch: tokenSearch,
  component: lazyRouteComponent(() => import('./pages/AuthPages'), 'ResetPasswordPage'),
});

// Everything else needs an account; an anonymous visitor is sent to log in and back.
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const user = await context.queryClient.ensureQueryData(meQuery);
    if (!user) throw redirect({ to: '/login', search: { next: location.href } });
    return { user };
  },
  component: AppLayout,
});

const projectsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./pages/ProjectsPage'), 'ProjectsPage'),
});
const acceptInvitationRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/invitations/accept',
  validateSearch: tokenSearch,
  component: lazyRouteComponent(() => import('./pages/AcceptInvitationPage'), 'AcceptInvitation'),
});
const projectRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/projects/$project',
  component: lazyRouteComponent(() => import('./pages/ProjectPage'), 'ProjectPage'),
});
const documentsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/',
  component: lazyRouteComponent(() => import('./pages/DocumentsTab'), 'DocumentsTab'),
});
const searchRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/search',
  validateSearch: (search: Record<string, unknown>): SearchParams => ({
    q: text(search.q),
    mode: (['keyword', 'semantic'] as const).find((m) => m === search.mode),
    kind: text(search.kind),
    from: text(search.from),
    to: text(search.to),
    page: whole(search.page),
    scores: search.scores === true || search.scores === 'true' ? true : undefined,
  }),
  component: lazyRouteComponent(() => import('./pages/SearchTab'), 'SearchTab'),
});
const askRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/ask',
  component: lazyRouteComponent(() => import('./pages/AskTab'), 'AskTab'),
});
const membersRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/members',
  component: lazyRouteComponent(() => import('./pages/MembersTab'), 'MembersTab'),
});
const projectSettingsRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/settings',
  component: lazyRouteComponent(() => import('./pages/ProjectSettingsTab'), 'ProjectSettingsTab'),
});
const activityRoute = createRoute({
  getParentRoute: () => projectRoute,
  path: '/activity',
  component: lazyRouteComponent(() => import('./pages/AuditLog'), 'ActivityTab'),
});
const viewerRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/projects/$project/documents/$documentId',
  validateSearch: (search: Record<string, unknown>): { start?: number; end?: number } => ({
    start: whole(search.start),
    end: whole(search.end),
  }),
  component: lazyRouteComponent(() => import('./pages/DocumentViewer'), 'DocumentViewer'),
});
const accountRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/account',
  component: lazyRouteComponent(() => import('./pages/AccountPage'), 'AccountPage'),
});
const keysRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/keys',
  component: lazyRouteComponent(() => import('./pages/KeysPage'), 'KeysPage'),
});
const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin',
  component: lazyRouteComponent(() => import('./pages/AdminPage'), 'AdminPage'),
});

const routeTree = rootRoute.addChildren([
  logInRoute,
  signUpRoute,
  forgotRoute,
  resetRoute,
  appRoute.addChildren([
    projectsRoute,
    acceptInvitationRoute,
    projectRoute.addChildren([
      documentsRoute,
      searchRoute,
      askRoute,
      membersRoute,
      projectSettingsRoute,
      activityRoute,
    ]),
    viewerRoute,
    accountRoute,
    keysRoute,
    adminRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    basepath: '/',
    defaultPreload: 'intent',
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
