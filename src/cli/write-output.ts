// Writing the documents the tool made. Each is first written in full under a
// temporary name in its folder ("staged"), then registered and renamed into
// place inside one vault transaction: a letter is never on disk without
// being in the register (where a rotation finds it), and a failure leaves
// no partial or unregistered file behind.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IoError, SchuilnaamError, UsageError } from '../errors.js';

export interface Staged {
  file: string;
  tmp: string;
  placed: boolean;
}

function ioError(file: string, e: unknown): SchuilnaamError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'EIO' || code === 'EDQUOT') {
    return new IoError(`cannot write ${file}: ${code === 'ENOSPC' ? 'the disk is full' : code === 'EROFS' ? 'read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code}`);
  }
  if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') return new UsageError(`cannot write ${file}: a folder has that name`);
  return new UsageError(`cannot write ${file}: ${code ?? (e as Error).message}`);
}

/** Writes the bytes under a temporary name next to `file`. */
export function stage(file: string, bytes: Uint8Array): Staged {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`cannot write ${file}: the folder ${dir} does not exist`);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes, { mode: 0o644, flag: 'wx' });
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw ioError(file, e);
  }
  return { file, tmp, placed: false };
}

/** Renames a staged file into place. */
export function place(s: Staged): void {
  try {
    fs.renameSync(s.tmp, s.file);
    s.placed = true;
  } catch (e) {
    throw ioError(s.file, e);
  }
}

/** After a failure: temporary files go, and so do files placed by this run (they were never registered). */
export function discard(staged: readonly Staged[]): void {
  for (const s of staged) fs.rmSync(s.placed ? s.file : s.tmp, { force: true });
}

/**
 * Stages every file, then runs `commit` (which registers the documents in a
 * vault transaction and calls `placeAll` inside it). Anything that fails
 * undoes the files.
 */
export function writeRegistered<T>(files: readonly { file: string; bytes: Uint8Array }[], commit: (placeAll: () => void) => T): T {
  const staged: Staged[] = [];
  try {
    for (const f of files) staged.push(stage(f.file, f.bytes));
    return commit(() => staged.forEach(place));
  } catch (e) {
    discard(staged);
    throw e;
  }
}

/** The SHA-256 of a document's bytes, hex: what the register keeps to recognise the file. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Refuses to replace an existing file unless told to. */
export function checkNotThere(file: string, force: boolean): void {
  if (!force && fs.existsSync(file)) throw new UsageError(`${file} already exists`, 'pass --force to replace it');
}
