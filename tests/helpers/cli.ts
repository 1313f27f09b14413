// Runs the built CLI (bin/schuilnaam.js -> dist/) in a throwaway sandbox:
// its own vault path, runtime dir and HOME, and a passphrase file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options, type Result } from 'execa';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'schuilnaam.js');
export const PASSPHRASE = 'kabouter plop eet stroopwafels';

if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
  throw new Error('dist/ is missing: run "npm run build" (npm test does it for you)');
}

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string | Uint8Array;
  timeout?: number;
}

export interface Sandbox {
  dir: string;
  vault: string;
  runtime: string;
  passFile: string;
  env: Record<string, string>;
  /** Runs `schuilnaam ...args` with the sandbox env (plus extra env); never throws on a non-zero exit. */
  run(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** Runs with --passphrase-file added. */
  runP(args: string[], opts?: RunOptions): Promise<RunResult>;
  /** Creates the vault with the sandbox passphrase. */
  init(): Promise<void>;
  /** Every file under the sandbox, for byte-level checks. */
  files(): string[];
  cleanup(): void;
}

export function makeSandbox(): Sandbox {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schuilnaam-test-'));
  const runtime = path.join(dir, 'run');
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const vault = path.join(dir, 'vault.db');
  const passFile = path.join(dir, 'pass.txt');
  fs.writeFileSync(passFile, PASSPHRASE + '\n', { mode: 0o600 });
  const env: Record<string, string> = {
    HOME: home,
    XDG_RUNTIME_DIR: runtime,
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    SCHUILNAAM_VAULT: vault,
    SCHUILNAAM_KDF_PROFILE: 'owasp-floor',
    PATH: process.env.PATH ?? '',
  };
  const run: Sandbox['run'] = async (args, opts = {}) => {
    const options: Options = {
      env: { ...env, ...opts.env },
      extendEnv: false,
      reject: false,
      cwd: dir,
      timeout: opts.timeout ?? 60_000,
      stripFinalNewline: false,
      ...(opts.input === undefined ? { stdin: 'ignore' as const } : { input: opts.input }),
    };
    const r: Result = await execa(process.execPath, [BIN, ...args], options);
    return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
  };
  return {
    dir,
    vault,
    runtime,
    passFile,
    env,
    run,
    runP: (args, opts) => run([...args, '--passphrase-file', passFile], opts),
    async init() {
      const r = await run(['init', '--passphrase-file', passFile]);
      if (r.exitCode !== 0) throw new Error(`init failed: ${r.stderr}`);
    },
    files() {
      const out: string[] = [];
      const walk = (d: string) => {
        for (const e of fs.readdirSync(d, { withFileTypes: true })) {
          const p = path.join(d, e.name);
          if (e.isDirectory()) walk(p);
          else out.push(p);
        }
      };
      walk(dir);
      return out;
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Parses stdout as the one JSON document --json promises. */
export function json<T = unknown>(r: RunResult): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`stdout is not one JSON document (exit ${r.exitCode}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

/**
 * Runs `schuilnaam ...args` on a real pseudo-terminal (tests/helpers/pty-run.py):
 * the helper waits for each prompt's text before it types its answer, so
 * nothing depends on timing. stdout is everything the terminal showed.
 */
export function onTerminal(sb: Sandbox, answers: [string, string][], args: string[]): RunResult {
  try {
    const stdout = execFileSync('python3', [path.join(ROOT, 'tests', 'helpers', 'pty-run.py'), JSON.stringify(answers), '--', process.execPath, BIN, ...args], {
      env: { ...sb.env, NO_COLOR: '1' },
      cwd: sb.dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { stdout, stderr: '', exitCode: 0 };
  } catch (e) {
    const err = e as { stdout?: string; status?: number | null };
    return { stdout: String(err.stdout ?? ''), stderr: '', exitCode: err.status ?? -1 };
  }
}
