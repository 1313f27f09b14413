// Entry point: parse argv, run the command, map every failure to one clear
// line on stderr and an exit code from CLI.md.
import { CommanderError } from 'commander';
import { ExitCode, SchuilnaamError } from '../errors.js';
import type { Runtime } from './context.js';
import { buildProgram, type RunState } from './program.js';
import { Terminal } from './terminal.js';

export async function main(argv: string[], rt: Runtime): Promise<number> {
  const state: RunState = { code: ExitCode.ok, usageMessage: undefined };
  const program = buildProgram(rt, state);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return state.code;
  } catch (e) {
    return reportError(e, argv, rt, state);
  }
}

function reportError(e: unknown, argv: string[], rt: Runtime, state: RunState): number {
  const term = new Terminal(rt, !argv.includes('--no-color'));
  if (e instanceof CommanderError) {
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return ExitCode.ok;
    if (state.usageMessage) term.error(state.usageMessage, state.usageHint);
    return ExitCode.usage;
  }
  if (e instanceof SchuilnaamError) {
    term.error(e.message, e.hint);
    if (rt.env.SCHUILNAAM_DEBUG === '1' && e.stack) rt.stderr.write(e.stack + '\n');
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  term.error(`internal error: ${err.name}: ${err.message}`, 'this is a bug in schuilnaam; please report it with the output of SCHUILNAAM_DEBUG=1');
  if (rt.env.SCHUILNAAM_DEBUG === '1' && err.stack) rt.stderr.write(err.stack + '\n');
  return ExitCode.internal;
}

/** Used by bin/schuilnaam.js. */
export async function run(): Promise<void> {
  // "schuilnaam scan … | head": the reader went away. Stop quietly with the
  // status of a process ended by SIGPIPE (128 + 13), as other command-line
  // tools do, never 0: the work may not be finished. Vault writes are
  // transactions and output files are renamed into place, so nothing is
  // left half-done.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
  const code = await main(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  process.exitCode = code;
}
