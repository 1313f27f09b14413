// Shared assertions on a CLI run: what users see on stdout, stderr and the exit code.
import { expect } from 'vitest';
import type { RunResult } from './cli.js';

/** A successful run: exit 0 and nothing on stderr. */
export function expectOk(r: RunResult): RunResult {
  expect(r.exitCode, `exit code; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
  expect(r.stderr, 'stderr of a successful run').toBe('');
  return r;
}

/** A failed run: the exit code, nothing on stdout, one error line plus an optional hint line, no stack trace. */
export function expectCleanError(r: RunResult, code: number, mentions?: RegExp): RunResult {
  expect(r.exitCode, `exit code; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(code);
  expect(r.stdout, 'stdout of a failed run').toBe('');
  expect(r.stderr).toMatch(/^schuilnaam: error: [^\n]+\n(?:schuilnaam: hint: [^\n]+\n)?$/u);
  expect(r.stderr).not.toMatch(/^\s+at /mu);
  expect(r.stderr).not.toMatch(/internal error/u);
  if (mentions) expect(r.stderr).toMatch(mentions);
  return r;
}

/** One item of `worker list --json`. */
export interface WorkerJson {
  id: string;
  first_name: string | null;
  prefix: string | null;
  last_name: string | null;
  initials: string | null;
  email: string | null;
  phone: string | null;
  employee_no: string | null;
  team: string | null;
  status: string;
}
