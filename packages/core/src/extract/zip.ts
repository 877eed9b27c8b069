import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';

/** One file inside a zip archive, as its central directory describes it. */
export interface ZipEntrySummary {
  name: string;
  compressedSize: number;
  /** Declared by the archive; may lie (see `inflateAllEntries`). */
  uncompressedSize: number;
  encrypted: boolean;
}

export interface ZipInventory {
  entries: ZipEntrySummary[];
  /** Sum of the declared uncompressed sizes. */
  declaredBytes: number;
  /** True when listing stopped at `maxEntries`: the archive has more. */
  truncated: boolean;
}

/** Why `inflateAllEntries` stopped early. Internal: the DOCX reader maps it to an error. */
export class ZipLimitError extends Error {
  constructor(
    readonly reason: 'too_large' | 'size_mismatch' | 'encrypted',
    message: string,
  ) {
    super(message);
  }
}

/** Lists the entries from the central directory without decompressing anything. */
export async function listZipEntries(bytes: Uint8Array, maxEntries: number): Promise<ZipInventory> {
  const zip = await openZip(bytes);
  const entries: ZipEntrySummary[] = [];
  let declaredBytes = 0;

  return new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve({ entries, declaredBytes, truncated: false }));
    zip.on('entry', (entry: Entry) => {
      if (entries.length >= maxEntries) {
        zip.close();
        resolve({ entries, declaredBytes, truncated: true });
        return;
      }
      entries.push(summarise(entry));
      declaredBytes += entry.uncompressedSize;
      zip.readEntry();
    });
    zip.readEntry();
  });
}

/**
 * Decompresses every entry and throws away the output, counting the bytes, and rejects
 * with a `ZipLimitError` as soon as the total passes `maxBytes`. This is what makes a
 * zip safe to hand to a library that trusts the declared sizes: a header can claim 1 KB
 * for an entry that inflates to gigabytes, but this count cannot be lied to. Memory stays
 * at one inflate window. Entries named in `keep` (and no larger than 1 MiB) are returned
 * as UTF-8 text.
 */
export async function inflateAllEntries(
  bytes: Uint8Array,
  maxBytes: number,
  keep: ReadonlySet<string> = new Set(),
): Promise<Map<string, string>> {
  const zip = await openZip(bytes);
  const kept = new Map<string, string>();
  let total = 0;

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      zip.close();
      reject(error);
    };

    zip.on('error', fail);
    zip.on('end', () => {
      settled = true;
      resolve(kept);
    });
    zip.on('entry', (entry: Entry) => {
      if (entry.fileName.endsWith('/')) {
        zip.readEntry();
        return;
      }
      if (isEncrypted(entry)) {
        fail(new ZipLimitError('encrypted', `${entry.fileName} is encrypted`));
        return;
      }

      zip.openReadStream(entry, (openError, stream) => {
        if (openError) return fail(openError);

        const wanted = keep.has(entry.fileName) && entry.uncompressedSize <= 1024 * 1024;
        const parts: Buffer[] = [];
        let entryBytes = 0;

        stream.on('data', (chunk: Buffer) => {
          entryBytes += chunk.length;
          total += chunk.length;
          if (total > maxBytes) {
            stream.destroy();
            fail(new ZipLimitError('too_large', `unpacks to more than ${maxBytes} bytes`));
            return;
          }
          if (wanted && entryBytes <= 1024 * 1024) parts.push(chunk);
        });
        stream.on('error', fail);
        stream.on('end', () => {
          if (settled) return;
          if (entryBytes !== entry.uncompressedSize) {
            fail(
              new ZipLimitError(
                'size_mismatch',
                `${entry.fileName} declares ${entry.uncompressedSize} bytes but holds ${entryBytes}`,
              ),
            );
            return;
          }
          if (wanted) kept.set(entry.fileName, Buffer.concat(parts).toString('utf8'));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}

function openZip(bytes: Uint8Array): Promise<ZipFile> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new Promise((resolve, reject) => {
    // Sizes are checked by `inflateAllEntries` itself, so that an entry that inflates
    // past the limit is reported as too large rather than as a size mismatch.
    yauzl.fromBuffer(
      buffer,
      { lazyEntries: true, autoClose: true, validateEntrySizes: false },
      (error, zip) => (error ? reject(error) : resolve(zip)),
    );
  });
}

function summarise(entry: Entry): ZipEntrySummary {
  return {
    name: entry.fileName,
    compressedSize: entry.compressedSize,
    uncompressedSize: entry.uncompressedSize,
    encrypted: isEncrypted(entry),
  };
}

function isEncrypted(entry: Entry): boolean {
  // Bit 0 of the general purpose flags marks traditional or AES zip encryption.
  return (entry.generalPurposeBitFlag & 0x1) !== 0;
}
