import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initOptions } from '../../src/cli/commands/init.js';
import { ttlOption } from '../../src/cli/commands/session.js';
import { displayName, workerInput } from '../../src/cli/commands/worker.js';
import type { Runtime } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import { buildProgram } from '../../src/cli/program.js';
import { UsageError } from '../../src/errors.js';

const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface FakeRuntime {
  rt: Runtime;
  stdout: () => string;
  stderr: () => string;
}

function fakeRuntime(env: Record<string, string | undefined> = {}): FakeRuntime {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end();
  stdout.on('data', (c: Buffer) => out.push(c.toString('utf8')));
  stderr.on('data', (c: Buffer) => err.push(c.toString('utf8')));
  // Writes to a PassThrough reach 'data' listeners synchronously while it flows.
  return { rt: { stdin, stdout, stderr, env }, stdout: () => out.join(''), stderr: () => err.join('') };
}

async function run(argv: string[], env: Record<string, string | undefined> = {}) {
  const f = fakeRuntime(env);
  const code = await main(argv, f.rt);
  return { code, stdout: f.stdout(), stderr: f.stderr() };
}

describe('workerInput (flags -> fields)', () => {
  it('maps every flag to its field', () => {
    expect(
      workerInput({
        firstName: 'Sanne',
        prefix: 'van der',
        lastName: 'Wal',
        initials: 'S.',
        email: 's.wal@example.org',
        phone: '06-41234567',
        employeeNo: 'P-10231',
        team: 'Team Noord',
      }),
    ).toEqual({
      first_name: 'Sanne',
      prefix: 'van der',
      last_name: 'Wal',
      initials: 'S.',
      email: 's.wal@example.org',
      phone: '06-41234567',
      employee_no: 'P-10231',
      team: 'Team Noord',
    });
  });

  it('leaves absent flags out (undefined), so an update changes nothing else', () => {
    const input = workerInput({ email: 's.wal@example.org' });
    expect(input).toEqual({ email: 's.wal@example.org' });
    expect(Object.keys(input)).toEqual(['email']);
    expect(input.first_name).toBeUndefined();
    expect(workerInput({})).toEqual({});
  });

  it('keeps "" as "" (clears an optional field)', () => {
    const input = workerInput({ phone: '', team: '' });
    expect(input).toEqual({ phone: '', team: '' });
    expect('phone' in input).toBe(true);
  });

  it('ignores global options and non-string values', () => {
    expect(workerInput({ vault: '/tmp/v.db', json: true, color: false, user: 'admin', firstName: true, team: 42 })).toEqual({});
  });

  it('does not accept field names spelt as in the vault (first_name) instead of the flag (firstName)', () => {
    expect(workerInput({ first_name: 'Sanne', employee_no: 'P-1' })).toEqual({});
  });

  it('displayName joins the parts that are present', () => {
    expect(displayName({ first_name: 'Sanne', prefix: 'van der', last_name: 'Wal' })).toBe('Sanne van der Wal');
    expect(displayName({ first_name: 'Koen', prefix: '', last_name: 'Özdemir' })).toBe('Koen Özdemir');
    expect(displayName({ first_name: null, prefix: null, last_name: null } as never)).toBe('');
  });
});

describe('ttlOption', () => {
  it('defaults to 15 minutes', () => {
    expect(ttlOption(undefined)).toBe(15 * 60_000);
    expect(ttlOption(null)).toBe(15 * 60_000);
  });

  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['12h', 43_200_000],
  ])('accepts %j', (text, ms) => {
    expect(ttlOption(text)).toBe(ms);
  });

  it.each(['13h', '12h1s', '721m', '100000s'])('rejects %j (more than 12h) with a UsageError', (text) => {
    expect(() => ttlOption(text)).toThrow(UsageError);
    expect(() => ttlOption(text)).toThrow('--ttl may be at most 12h');
  });

  it.each(['soon', '', '15', '0s', '-5m', '1.5h', '1d'])('rejects garbage %j with a UsageError naming it', (text) => {
    let e: unknown;
    try {
      ttlOption(text);
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).message).toBe(`invalid --ttl "${text}"`);
    expect((e as UsageError).hint).toContain('90s, 15m or 2h');
  });
});

describe('initOptions', () => {
  it('defaults: admin user "admin", no profile (use the environment default)', () => {
    expect(initOptions({})).toEqual({ admin: 'admin', kdf: undefined });
  });

  it('takes --admin and --kdf', () => {
    expect(initOptions({ admin: 'hr-beheer', kdf: 'sensitive' })).toEqual({ admin: 'hr-beheer', kdf: 'sensitive' });
    expect(initOptions({ kdf: 'moderate' }).kdf).toBe('moderate');
  });

  it('rejects an unknown profile with a UsageError', () => {
    expect(() => initOptions({ kdf: 'interactive' })).toThrow(UsageError);
    expect(() => initOptions({ kdf: 'interactive' })).toThrow('unknown key-derivation profile "interactive"');
  });
});

describe('main: argv handling', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schuilnaam-cli-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--version prints the package.json version and exits 0', async () => {
    expect(PACKAGE_VERSION).toMatch(/^\d+\.\d+\.\d+/u);
    for (const flag of ['--version', '-V']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(PACKAGE_VERSION);
      expect(r.stderr).toBe('');
    }
  });

  it('an unknown command exits 2 with one "schuilnaam: error:" line', async () => {
    const r = await run(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^schuilnaam: error: unknown command/u);
    expect(lines[0]).toContain('frobnicate');
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(r.stderr).not.toContain('    at '); // no stack trace
  });

  it('a mistyped command suggests the right one', async () => {
    const r = await run(['wroker', 'list']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^schuilnaam: error: unknown command 'wroker'/u);
    expect(r.stderr).toContain('schuilnaam: hint: did you mean worker?');
  });

  it('an unknown option on a subcommand exits 2 with a hint naming that subcommand\'s --help', async () => {
    const vault = path.join(dir, 'vault.db');
    const r = await run(['worker', 'add', '--first-name', 'Sanne', '--last-name', 'Wal', '--bogus', '--vault', vault]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toEqual(["schuilnaam: error: unknown option '--bogus'", 'schuilnaam: hint: run "schuilnaam worker add --help" for usage']);
    expect(fs.existsSync(vault)).toBe(false);
  });

  it('a missing required option exits 2 and names the option', async () => {
    const r = await run(['worker', 'add', '--first-name', 'Sanne', '--vault', path.join(dir, 'v.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^schuilnaam: error: required option '--last-name <name>' not specified/u);
    expect(r.stderr).toContain('schuilnaam worker add --help');
  });

  it('a missing argument exits 2', async () => {
    const r = await run(['worker', 'show', '--vault', path.join(dir, 'v.db')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^schuilnaam: error: missing required argument 'id'/u);
  });

  it('init --kdf outside the allowed choices exits 2 and creates nothing', async () => {
    const vault = path.join(dir, 'vault.db');
    const r = await run(['init', '--kdf', 'owasp-floor', '--vault', vault]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^schuilnaam: error: option '--kdf <profile>' argument 'owasp-floor' is invalid/u);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a group without a subcommand exits 2 and shows its help on stderr', async () => {
    const r = await run(['worker']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: schuilnaam worker');
  });
});

describe('help', () => {
  function allCommands(cmd: Command, prefix: string[] = []): string[][] {
    const out: string[][] = [];
    for (const sub of cmd.commands) {
      const p = [...prefix, sub.name()];
      out.push(p);
      out.push(...allCommands(sub, p));
    }
    return out;
  }

  const { rt } = fakeRuntime();
  const program = buildProgram(rt, { code: 0, usageMessage: undefined });
  const paths = [[], ...allCommands(program)];

  it('the program has the commands CLI.md promises so far', () => {
    const names = paths.map((p) => p.join(' '));
    for (const c of ['init', 'unlock', 'lock', 'worker', 'worker add', 'worker import', 'worker list', 'worker show', 'worker update', 'worker offboard', 'verify', 'demo']) {
      expect(names).toContain(c);
    }
  });

  it.each(paths.map((p) => [p.length === 0 ? '(root)' : p.join(' '), p] as const))('%s --help has examples and exits 0', async (_name, p) => {
    const r = await run([...p, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain(`Usage: schuilnaam${p.length ? ' ' + p.join(' ') : ''}`);
    const examples = r.stdout.split('\n').filter((l) => l.trimStart().startsWith('$ '));
    // an example for a subcommand uses that subcommand
    if (p.length > 0) expect(examples.some((l) => l.includes(`schuilnaam ${p.join(' ')}`)), p.join(' ')).toBe(true);
    // and at least one example is a plain "$ schuilnaam …" command line
    expect(examples.filter((l) => l.trimStart().startsWith('$ schuilnaam')).length, examples.join('\n')).toBeGreaterThanOrEqual(1);
  });

  it('-h works like --help', async () => {
    const r = await run(['worker', 'add', '-h']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--first-name <name>');
  });
});
