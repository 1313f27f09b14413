// Writing a document the tool made: under a temporary name in the same
// folder, then renamed into place, so a failure never leaves a partial file.
import fs from 'node:fs';
import path from 'node:path';
import { IoError, UsageError } from '../errors.js';

export function writeAtomically(file: string, bytes: Uint8Array): void {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`cannot write ${file}: the folder ${dir} does not exist`);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, bytes, { mode: 0o644, flag: 'wx' });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'EIO' || code === 'EDQUOT') {
      throw new IoError(`cannot write ${file}: ${code === 'ENOSPC' ? 'the disk is full' : code === 'EROFS' ? 'read-only file system' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code}`);
    }
    throw new UsageError(`cannot write ${file}: ${code ?? (e as Error).message}`);
  }
}

/** Refuses to replace an existing file unless told to. */
export function checkNotThere(file: string, force: boolean): void {
  if (!force && fs.existsSync(file)) throw new UsageError(`${file} already exists`, 'pass --force to replace it');
}
