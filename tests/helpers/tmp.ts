// Temporary folders for tests. The global setup (tests/helpers/global-tmp.ts)
// points TMPDIR at a folder of its own for each run, so os.tmpdir() here is
// private to this run and whatever a test leaves behind is found at the end,
// without confusing it with other runs on the same machine.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A new folder under this run's temp dir; `prefix` starts with "schuilnaam-". */
export function testTmpDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A new folder on tmpfs when there is one (thousands of fsynced transactions), else like testTmpDir. */
export function testShmDir(prefix: string): string {
  const base = process.env.SCHUILNAAM_TEST_SHM;
  return base && fs.existsSync(base) ? fs.mkdtempSync(path.join(base, prefix)) : testTmpDir(prefix);
}
