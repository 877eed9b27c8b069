import { collectAnswer } from '@quarry/core';
import { createQuarry, LOCAL_ADMIN, type Quarry, type Settings } from '@quarry/server';
import type { QuarryClient } from './client.js';

/** Runs Quarry in this process on the embedded store, acting as the local administrator. */
export async function openLocalClient(settings: Settings): Promise<QuarryClient> {
  const quarry: Quarry = await createQuarry(settings, {
    logger: undefined,
  });
  const caller = LOCAL_ADMIN;
  const toInfo = (p: { id: string; slug: string; name: string }) => ({
    id: p.id,
    slug: p.slug,
    name: p.name,
  });

  return {
    description:
      settings.store.kind === 'embedded'
        ? `embedded store at ${settings.store.dataDir}`
        : 'PostgreSQL store',
    ensureProject: async (ref) => toInfo(await quarry.projects.ensure(caller, ref)),
    getProject: async (ref) => toInfo(await quarry.projects.get(caller, ref)),
    listProjects: async () => (await quarry.projects.list(caller)).map(toInfo),
    deleteProject: (ref) => quarry.projects.remove(caller, ref),
    async share(project, email, role) {
      const result = await quarry.members.invite(caller, project, {
        email,
        role: role === 'owner' ? 'editor' : role,
      });
      if (!('member' in result)) return 'invited';
      if (role !== 'owner') return 'added';
      await quarry.members.transfer(caller, project, result.member.userId);
      return 'transferred';
    },
    upload: (project, files) => quarry.ingest.upload(caller, project, files),
    async fileStatus(project, fileIds) {
      return Promise.all(fileIds.map((id) => quarry.documents.getFile(caller, project, id)));
    },
    waitForJobs: () => quarry.drain(),
    search: (project, request) => quarry.search.search(caller, project, request),
    async ask(project, request, onToken) {
      const events = quarry.answers.ask(caller, project, request);
      const done = await collectAnswer(
        (async function* () {
          for await (const event of events) {
            if (event.type === 'token') onToken?.(event.text);
            yield event;
          }
        })(),
      );
      return {
        answer: done.answer,
        grounded: done.grounded,
        generator: done.generator,
        citations: done.citations,
      };
    },
    close: () => quarry.close(),
  };
}
