import { useRef, useState, type DragEvent } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { errorMessage } from '../api/client';
import { filesQuery } from '../api/queries';
import { filesFromDrop, filesFromInput, uploadFile, type PickedFile } from '../api/upload';
import { FileState } from '../components/FileState';

/** Files sent at once: enough to keep the line busy, few enough to show steady progress. */
const PARALLEL_UPLOADS = 3;

interface Upload {
  key: string;
  name: string;
  progress: number;
  fileId?: string;
  /** The server's verdict on receipt (duplicate or failed come back at once). */
  outcome?: { state: string; errorCode?: string; errorMessage?: string };
  error?: string;
}

export function UploadPanel({ project }: { project: string }) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [dragging, setDragging] = useState(false);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const queryClient = useQueryClient();
  // Live processing state comes from the file list, which server events keep current.
  const files = useQuery(filesQuery(project));
  const stateOf = new Map(files.data?.files.map((file) => [file.id, file]));

  const update = (key: string, change: Partial<Upload>) =>
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));

  async function send(picked: PickedFile[]) {
    if (picked.length === 0) return;
    const batch = picked.map((p, i) => ({ ...p, key: `${Date.now()}-${i}-${p.name}` }));
    setUploads((all) => [...batch.map((p) => ({ key: p.key, name: p.name, progress: 0 })), ...all]);
    const queue = [...batch];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const { key, file, name } = next;
        try {
          const outcome = await uploadFile(project, file, name, (progress) =>
            update(key, { progress }),
          );
          update(key, { fileId: outcome.fileId, outcome });
          await queryClient.invalidateQueries({ queryKey: filesQuery(project).queryKey });
        } catch (failure) {
          update(key, { error: errorMessage(failure) });
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_UPLOADS }, worker));
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    void filesFromDrop(event.dataTransfer).then(send);
  }

  return (
    <section aria-labelledby="upload-heading" className="panel">
      <h2 id="upload-heading">Upload</h2>
      <div
        className={`dropzone${dragging ? ' dragging' : ''}`}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <p>Drop files or folders here, or</p>
        <div className="row">
          <button type="button" className="button" onClick={() => filesInput.current?.click()}>
            Choose files
          </button>
          <button type="button" className="button" onClick={() => folderInput.current?.click()}>
            Choose a folder
          </button>
        </div>
        <input
          ref={filesInput}
          type="file"
          multiple
          hidden
          aria-label="Files to upload"
          data-testid="file-input"
          onChange={(e) => {
            void send(filesFromInput(e.target.files));
            e.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          aria-label="Folder to upload"
          {...{ webkitdirectory: '' }}
          onChange={(e) => {
            void send(filesFromInput(e.target.files));
            e.target.value = '';
          }}
        />
      </div>
      {uploads.length > 0 && (
        <ul className="upload-list" aria-label="Uploads">
          {uploads.map((upload) => {
            const live = upload.fileId ? stateOf.get(upload.fileId) : undefined;
            return (
              <li key={upload.key} className="upload-item">
                <span className="upload-name">{upload.name}</span>
                {upload.error ? (
                  <span className="form-error" role="alert">
                    {upload.error}
                  </span>
                ) : upload.outcome ? (
                  <FileState
                    state={live?.state ?? upload.outcome.state}
                    errorCode={live?.errorCode ?? upload.outcome.errorCode}
                    errorMessage={live?.errorMessage ?? upload.outcome.errorMessage}
                  />
                ) : (
                  <progress max={1} value={upload.progress} aria-label={`Sending ${upload.name}`}>
                    {Math.round(upload.progress * 100)}%
                  </progress>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
