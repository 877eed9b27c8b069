import { queryOptions } from '@tanstack/react-query';
import { api, ApiError, unwrap, type Reply } from './client';

export type User = Reply<'/api/v1/auth/me', 'get'>['user'];
export type Project = Reply<'/api/v1/projects/{project}', 'get'>;
export type FileRow = Reply<'/api/v1/projects/{project}/files', 'get'>['files'][number];
export type SearchReply = Reply<'/api/v1/projects/{project}/search', 'post'>;
export type Answer = Reply<'/api/v1/projects/{project}/ask', 'post'>;
export type Citation = Answer['citations'][number];

export const meQuery = queryOptions({
  queryKey: ['me'],
  queryFn: async (): Promise<User | null> => {
    try {
      return (await unwrap(api.GET('/api/v1/auth/me'))).user;
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  },
  staleTime: 60_000,
});

export const projectsQuery = queryOptions({
  queryKey: ['projects'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/projects'))).projects,
});

export const projectQuery = (project: string) =>
  queryOptions({
    queryKey: ['projects', project],
    queryFn: () => unwrap(api.GET('/api/v1/projects/{project}', { params: { path: { project } } })),
  });

export const filesQuery = (project: string) =>
  queryOptions({
    queryKey: ['projects', project, 'files'],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{project}/files', {
          params: { path: { project }, query: { limit: 500 } },
        }),
      ),
  });

export const membersQuery = (project: string) =>
  queryOptions({
    queryKey: ['projects', project, 'members'],
    queryFn: () =>
      unwrap(api.GET('/api/v1/projects/{project}/members', { params: { path: { project } } })),
  });

export const documentQuery = (project: string, documentId: string) =>
  queryOptions({
    queryKey: ['projects', project, 'documents', documentId],
    queryFn: () =>
      unwrap(
        api.GET('/api/v1/projects/{project}/documents/{documentId}', {
          params: { path: { project, documentId } },
        }),
      ),
  });

export const keysQuery = queryOptions({
  queryKey: ['keys'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/keys'))).keys,
});

export const usersQuery = queryOptions({
  queryKey: ['admin', 'users'],
  queryFn: async () => (await unwrap(api.GET('/api/v1/admin/users'))).users,
});
