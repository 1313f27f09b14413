// Temporary files of documents being written. A document is first written
// under a name that says it is this tool's and which process made it
// (".brief.pdf.schuilnaam-<pid>-<random>.tmp", mode 0600), so that what a
// killed run leaves behind can be recognised and removed later without
// touching anyone else's files or a run still going on.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const TEMP_NAME = /^\.(.+)\.schuilnaam-(\d+)-[0-9a-f]{8}\.tmp$/u;

/** A leftover older than this is removed even if its process id is in use again. */
export const STALE_AFTER_MS = 3_600_000;

export function tempNameFor(file: string): string {
  return path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.schuilnaam-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

export interface Leftover {
  /** The temporary file. */
  tmp: string;
  /** The file it was going to become. */
  target: string;
  pid: number;
}

/** Whether a process with this id runs on this machine (it may be another one reusing the id). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * This tool's temporary files in `dir` whose run is over: the process that
 * made them is gone, or they are older than an hour. Only files of this user.
 */
export function staleLeftovers(dir: string, now = Date.now()): Leftover[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  const out: Leftover[] = [];
  for (const name of names) {
    const m = TEMP_NAME.exec(name);
    if (!m) continue;
    const tmp = path.join(dir, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(tmp);
    } catch {
      continue;
    }
    if (!st.isFile() || (uid !== undefined && st.uid !== uid)) continue;
    const pid = Number(m[2]);
    if (processAlive(pid) && now - st.mtimeMs < STALE_AFTER_MS) continue;
    out.push({ tmp, target: path.join(dir, m[1]!), pid });
  }
  return out;
}

/** Removes the stale leftovers in `dir`; returns the paths removed. */
export function removeStaleLeftovers(dir: string): string[] {
  const removed: string[] = [];
  for (const l of staleLeftovers(dir)) {
    try {
      fs.rmSync(l.tmp);
      removed.push(l.tmp);
    } catch {
      // Gone already (another run cleaned it) or not ours to remove: leave it.
    }
  }
  return removed;
}
