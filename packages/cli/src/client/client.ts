import type { SearchRequestInput, SearchResponse, UploadResult } from '@quarry/server';

export interface ProjectInfo {
  id: string;
  slug: string;
  name: string;
}

/** What the server says of each uploaded file. */
export type UploadOutcome = UploadResult;

export interface FileStatus {
  id: string;
  name: string;
  state: string;
  errorCode: string | null;
  errorMessage: string | null;
  duplicateOf: string | null;
  chunkCount: number;
  documentCount: number;
  /** For an indexed file, what to know: records left out, say. */
  notice: string | null;
}

export interface AnswerResult {
  answer: string;
  grounded: boolean;
  generator: string;
  citations: Array<{
    n: number;
    documentId: string;
    documentTitle: string;
    page?: number | null;
    start: number;
    end: number;
    quote: string;
  }>;
}

export type ShareRole = 'owner' | 'editor' | 'viewer';
export type ShareOutcome = 'added' | 'invited' | 'transferred';

export const TERMINAL_STATES = new Set(['indexed', 'duplicate', 'failed']);

/**
 * What the CLI needs from Quarry, whether it runs in this process on the embedded store or
 * behind a server it reaches over HTTP.
 */
export interface QuarryClient {
  readonly description: string;
  ensureProject(ref: string): Promise<ProjectInfo>;
  getProject(ref: string): Promise<ProjectInfo>;
  listProjects(): Promise<ProjectInfo[]>;
  deleteProject(ref: string): Promise<void>;
  /**
   * Gives an account a role in a project: added at once when the account exists, otherwise
   * invited by e-mail. `owner` hands the project over (the current owner becomes an editor).
   */
  share(project: string, email: string, role: ShareRole): Promise<ShareOutcome>;
  upload(
    project: string,
    files: Array<{ name: string; bytes: Uint8Array }>,
  ): Promise<UploadOutcome[]>;
  fileStatus(project: string, fileIds: string[]): Promise<FileStatus[]>;
  /** Resolves when no job is pending for the project. */
  waitForJobs(project: string): Promise<void>;
  search(project: string, request: SearchRequestInput): Promise<SearchResponse>;
  ask(
    project: string,
    request: { question: string; mode?: 'hybrid' | 'keyword' | 'semantic' },
    onToken?: (text: string) => void,
  ): Promise<AnswerResult>;
  close(): Promise<void>;
}
