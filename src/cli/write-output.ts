// Writing the documents the tool made, so that the register is never behind
// the files, whatever moment the process is killed at:
//   1. each file is written in full under a temporary name in its folder,
//      mode 0600, named as this tool's (src/vault/staging.ts);
//   2. the documents are registered as pending, one commit;
//   3. the files are renamed into place;
//   4. they are marked complete, one commit.
// Killed before 2: only temporary files, which the next write into that
// folder removes. Killed between 2 and 4: pending rows that a rotation lists
// and verify reports, and that the next render or redact settles. A clean
// failure (a full disk) undoes the files and withdraws the pending rows.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { IoError, SchuilnaamError, UsageError } from '../errors.js';
import type { Documents, NewDocument } from '../vault/documents.js';
import { removeStaleLeftovers, tempNameFor } from '../vault/staging.js';
import { faultPoint } from '../fault.js';

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

/** Writes the bytes under a temporary name next to `file`, readable by this user only. */
export function stage(file: string, bytes: Uint8Array): Staged {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`cannot write ${file}: the folder ${dir} does not exist`);
  const tmp = tempNameFor(file);
  try {
    fs.writeFileSync(tmp, bytes, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw ioError(file, e);
  }
  return { file, tmp, placed: false };
}

/** The mode a new file gets here (0666 less the umask): the placed letter is an ordinary file again. */
function ordinaryMode(): number {
  const mask = process.umask(0o022);
  process.umask(mask);
  return 0o666 & ~mask;
}

/** Renames a staged file into place. */
export function place(s: Staged, mode: number): void {
  try {
    fs.renameSync(s.tmp, s.file);
    s.placed = true;
  } catch (e) {
    throw ioError(s.file, e);
  }
  // After the rename, not before: a temporary file left by a crash stays 0600.
  try {
    fs.chmodSync(s.file, mode);
  } catch {
    // The file is in place and registered; its mode stays private.
  }
}

/** After a failure: temporary files go, and so do files placed by this run. */
export function discard(staged: readonly Staged[]): void {
  for (const s of staged) fs.rmSync(s.placed ? s.file : s.tmp, { force: true });
}

export interface WriteReport {
  ids: string[];
  /** Notes for stderr about what an earlier, interrupted run left and this one cleaned. */
  notes: string[];
}

/**
 * Writes documents and registers them (see the top of this file). Before it
 * writes, it settles what interrupted runs left: pending documents, and this
 * tool's stale temporary files in the folders it writes to.
 */
export function writeRegistered(documents: Documents, files: readonly { file: string; bytes: Uint8Array; doc: NewDocument }[]): WriteReport {
  const notes = tidy(documents, files.map((f) => path.dirname(path.resolve(f.file))));
  const staged: Staged[] = [];
  let ids: string[] | undefined;
  const mode = ordinaryMode();
  try {
    for (const f of files) {
      staged.push(stage(f.file, f.bytes));
      faultPoint('staged');
    }
    ids = documents.registerPending(files.map((f) => f.doc));
    faultPoint('registered');
    for (const s of staged) {
      place(s, mode);
      faultPoint('placed');
    }
  } catch (e) {
    discard(staged);
    if (ids) documents.withdraw(ids, `the write failed: ${e instanceof Error ? e.message : String(e)}`);
    throw e;
  }
  try {
    documents.complete(ids);
  } catch (e) {
    if (!(e instanceof SchuilnaamError)) throw e;
    throw new IoError(
      `the documents were written and registered, but not marked complete: ${e.message}`,
      '"schuilnaam document list" shows them as pending; the next render or redact completes them',
    );
  }
  faultPoint('completed');
  return { ids, notes };
}

function tidy(documents: Documents, dirs: readonly string[]): string[] {
  const notes: string[] = [];
  const settled = documents.settlePending();
  if (settled.completed.length > 0) notes.push(`${count(settled.completed.length, 'document')} of an interrupted run ${settled.completed.length === 1 ? 'was' : 'were'} in place and ${settled.completed.length === 1 ? 'is' : 'are'} now complete: ${settled.completed.join(', ')}`);
  if (settled.removed.length > 0) notes.push(`${count(settled.removed.length, 'document')} of an interrupted run never reached ${settled.removed.length === 1 ? 'its' : 'their'} place and ${settled.removed.length === 1 ? 'was' : 'were'} taken out of the register: ${settled.removed.join(', ')}`);
  let removed = 0;
  for (const dir of new Set(dirs)) removed += removeStaleLeftovers(dir).length;
  removed += settled.leftovers.length;
  if (removed > 0) notes.push(`removed ${count(removed, 'temporary file')} left by an interrupted run`);
  return notes;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** The SHA-256 of a document's bytes, hex: what the register keeps to recognise the file. */
export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Refuses to replace an existing file unless told to. */
export function checkNotThere(file: string, force: boolean): void {
  if (!force && fs.existsSync(file)) throw new UsageError(`${file} already exists`, 'pass --force to replace it');
}
