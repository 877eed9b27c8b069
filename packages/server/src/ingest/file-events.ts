import { EventEmitter } from 'node:events';

/** A file's processing state as shown to users: queued → extracting → embedding → indexed. */
export interface FileStateEvent {
  projectId: string;
  fileId: string;
  name: string;
  state: string;
  errorCode?: string | null;
  errorMessage?: string | null;
  chunkCount?: number;
}

/**
 * In-process fan-out of file state changes to server-sent-event streams. The database holds
 * the state; these events only save clients from polling.
 */
export class FileEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open event stream; many browser tabs are normal.
    this.emitter.setMaxListeners(0);
  }

  publish(event: FileStateEvent): void {
    this.emitter.emit(event.projectId, event);
  }

  subscribe(projectId: string, listener: (event: FileStateEvent) => void): () => void {
    this.emitter.on(projectId, listener);
    return () => this.emitter.off(projectId, listener);
  }
}
