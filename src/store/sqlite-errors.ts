// Translate SQLite failures into the tool's error classes. Lives in the store
// because only the store knows what SQLite's codes mean.
import { BusyError, IntegrityError, IoError, type SchuilnaamError } from '../errors.js';

interface SqliteLikeError {
  code?: string;
  message?: string;
}

export function translateSqliteError(e: unknown, path: string): SchuilnaamError | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const { code = '', message = '' } = e as SqliteLikeError;
  if (!code.startsWith('SQLITE_')) return undefined;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new IntegrityError(`${path} is not a schuilnaam vault or is damaged`, 'restore it from a backup');
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new BusyError('the vault is busy: another schuilnaam process is writing to it', 'try again in a moment');
  }
  if (code === 'SQLITE_FULL') return new IoError('cannot write the vault: the disk is full');
  if (code.startsWith('SQLITE_READONLY')) return new IoError(`cannot write the vault: ${path} is read-only`);
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM')) {
    return new IoError(`cannot open ${path}`, 'check that the file and its folder are yours and writable');
  }
  if (code.startsWith('SQLITE_IOERR')) return new IoError(`cannot read or write the vault (${code.toLowerCase()})`);
  void message;
  return undefined;
}
