// Vitest global setup: each run gets its own temp folders (TMPDIR, and one on
// /dev/shm for the tests that want tmpfs), so the check at the end sees only
// what this run made, even while other runs share /tmp. At teardown, any
// "schuilnaam-*" entry a test left behind fails the run, by name; the run's
// folders are removed either way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PREFIX = /^schuilnaam-/u;

export function setup(): () => void {
  const base = os.tmpdir();
  const runDir = fs.mkdtempSync(path.join(base, `schuilnaam-run-${process.pid}-`));
  const shmDir = fs.existsSync('/dev/shm') ? fs.mkdtempSync(path.join('/dev/shm', `schuilnaam-run-${process.pid}-`)) : undefined;
  const previous = { TMPDIR: process.env.TMPDIR, SCHUILNAAM_TEST_SHM: process.env.SCHUILNAAM_TEST_SHM };
  // Worker processes are started after this and inherit it: os.tmpdir() reads TMPDIR at each call.
  process.env.TMPDIR = runDir;
  if (shmDir) process.env.SCHUILNAAM_TEST_SHM = shmDir;
  return () => {
    for (const [k, v] of Object.entries(previous)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const left = [runDir, shmDir]
      .filter((d): d is string => d !== undefined)
      .flatMap((d) => fs.readdirSync(d).filter((n) => PREFIX.test(n)).map((n) => path.join(d, n)));
    for (const d of [runDir, shmDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
    if (left.length > 0) {
      // Vitest reports an error thrown here but still exits 0; the exit code is what CI reads.
      process.exitCode = 1;
      throw new Error(`the tests left ${left.length} temporary folder(s) behind (removed now; find the test that does not clean up):\n${left.join('\n')}`);
    }
  };
}
