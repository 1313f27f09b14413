// End-to-end behaviour of the command line itself: version, help, usage
// errors, colour, stack traces, verify and demo, on the built CLI.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, json, makeSandbox, ROOT, type RunResult, type Sandbox } from '../helpers/cli.js';

const ANSI = '\x1b[';
const STACK_LINE = /^ {4}at /mu;

function ok(r: RunResult): RunResult {
  expect(r.stderr, `stderr of a successful run (exit ${r.exitCode})`).toBe('');
  expect(r.exitCode).toBe(0);
  return r;
}

function noAnsi(r: RunResult): void {
  expect(r.stdout).not.toContain(ANSI);
  expect(r.stderr).not.toContain(ANSI);
}

/** util-linux `script` gives the CLI a real terminal; Debian always has it (bsdutils is essential). */
function requireScript(): void {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('the terminal tests need util-linux "script" (Debian: apt-get install bsdutils); they are not skipped without it');
  }
}

const sh = (s: string) => `'${s.replace(/'/gu, `'\\''`)}'`;

let sb: Sandbox;
beforeAll(async () => {
  sb = makeSandbox();
  await sb.init();
  const r = await sb.runP(['worker', 'add', '--first-name', 'Hanneke', '--prefix', 'van der', '--last-name', 'Linde', '--team', 'Team Noord']);
  expect(r.exitCode).toBe(0);
});
afterAll(() => sb.cleanup());

describe('version and help', () => {
  it('--version prints the package.json version', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = ok(await sb.run([flag]));
      expect(r.stdout).toBe(`${pkg.version}\n`);
    }
  });

  const helps = [
    [],
    ['init'],
    ['unlock'],
    ['lock'],
    ['passwd'],
    ['worker'],
    ['worker', 'add'],
    ['worker', 'import'],
    ['worker', 'list'],
    ['worker', 'show'],
    ['worker', 'update'],
    ['worker', 'offboard'],
    ['verify'],
    ['demo'],
  ];
  it.each(helps.map((h) => [h.join(' ') || '(top level)', h]))('%s --help: exit 0 with examples', async (_name, args) => {
    const r = ok(await sb.run([...(args as string[]), '--help']));
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('$ schuilnaam');
    expect(r.stdout).toMatch(/Usage: schuilnaam/u);
    noAnsi(r);
  });

  it('-h is --help too, and needs no vault', async () => {
    const r = ok(await sb.run(['worker', 'add', '-h'], { env: { SCHUILNAAM_VAULT: path.join(sb.dir, 'none.db') } }));
    expect(r.stdout).toContain('--first-name');
    expect(r.stdout).toContain('Examples:');
  });
});

describe('usage errors', () => {
  it('an unknown command is exit 2: one error line plus a hint line, nothing on stdout', async () => {
    const r = await sb.run(['frobnicate']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^schuilnaam: error: unknown command .*frobnicate/u);
    expect(lines[1]).toMatch(/^schuilnaam: hint: /u);
  });

  it('an unknown subcommand is exit 2 and suggests the near miss', async () => {
    const r = await sb.run(['worker', 'lst']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^schuilnaam: error: unknown command .*lst/u);
    expect(lines[1]).toMatch(/^schuilnaam: hint: .*list/u);
  });

  it('an unknown option is exit 2 with an error and a hint line', async () => {
    for (const args of [['--frobnicate'], ['worker', 'list', '--frobnicate'], ['worker', 'add', '--first-name', 'Pim', '--last-name', 'Rozendaal', '--nickname', 'P']]) {
      const r = await sb.runP(args);
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(/^schuilnaam: error: unknown option/u);
      expect(lines[1]).toMatch(/^schuilnaam: hint: /u);
    }
    // Nothing was added by the rejected `worker add`.
    const listed = json<{ last_name: string }[]>(ok(await sb.runP(['worker', 'list', '--json'])));
    expect(listed.map((w) => w.last_name)).toEqual(['Linde']);
  });
});

describe('colour', () => {
  const cases: [string, string[], Record<string, string>][] = [
    ['a pipe', [], {}],
    ['--no-color', ['--no-color'], {}],
    ['NO_COLOR=1', [], { NO_COLOR: '1' }],
  ];
  it.each(cases)('with %s there are no ANSI escapes on stdout or stderr', async (_name, flags, env) => {
    noAnsi(ok(await sb.runP(['worker', 'list', ...flags], { env })));
    noAnsi(ok(await sb.runP(['verify', ...flags], { env })));
    noAnsi(ok(await sb.run(['--help', ...flags], { env })));
    const err = await sb.runP(['worker', 'show', 'W-zzzzzzzz', ...flags], { env });
    expect(err.exitCode).toBe(2);
    noAnsi(err);
    const usage = await sb.run(['frobnicate', ...flags], { env });
    expect(usage.exitCode).toBe(2);
    noAnsi(usage);
  });

  // On a real terminal (a pty from util-linux `script`), colour is on by
  // default, and --no-color / NO_COLOR turn it off.
  describe('on a terminal', () => {
    beforeAll(requireScript);
    const onTty = async (args: string[], env: Record<string, string> = {}) => {
      const cmd = [process.execPath, BIN, ...args].map(sh).join(' ');
      const r = await execa('script', ['-qec', cmd, '/dev/null'], {
        env: { ...sb.env, ...env },
        extendEnv: false,
        reject: false,
        cwd: sb.dir,
        stdin: 'ignore',
        timeout: 30_000,
      });
      return { out: String(r.stdout) + String(r.stderr), exitCode: r.exitCode };
    };
    it('colour is on by default (sanity check for the cases below)', async () => {
      const r = await onTty(['worker', 'list', '--passphrase-file', sb.passFile]);
      expect(r.out).toContain('Linde');
      expect(r.out).toContain(ANSI);
    });

    it('--no-color turns it off, on success and on error', async () => {
      const r = await onTty(['worker', 'list', '--no-color', '--passphrase-file', sb.passFile]);
      expect(r.out).toContain('Linde');
      expect(r.out).not.toContain(ANSI);
      const e = await onTty(['--no-color', 'worker', 'show', 'W-zzzzzzzz', '--passphrase-file', sb.passFile]);
      expect(e.out).toContain('error');
      expect(e.out).not.toContain(ANSI);
    });

    it('NO_COLOR=1 turns it off, on success and on error', async () => {
      const r = await onTty(['worker', 'list', '--passphrase-file', sb.passFile], { NO_COLOR: '1' });
      expect(r.out).toContain('Linde');
      expect(r.out).not.toContain(ANSI);
      const e = await onTty(['frobnicate'], { NO_COLOR: '1' });
      expect(e.out).toContain('error');
      expect(e.out).not.toContain(ANSI);
    });
  });
});

describe('stack traces', () => {
  it('no stack traces on error paths', async () => {
    const wrong = path.join(sb.dir, 'wrong.txt');
    fs.writeFileSync(wrong, 'een verkeerde zin van woorden\n', { mode: 0o600 });
    const runs: [RunResult, 2 | 3][] = [
      [await sb.run(['worker', 'list', '--passphrase-file', wrong]), 3],
      [await sb.run(['worker', 'list']), 3],
      [await sb.runP(['worker', 'show', 'W-zzzzzzzz']), 2],
      [await sb.runP(['worker', 'add', '--first-name', 'Pim', '--last-name', 'Rozendaal', '--email', 'geen-adres']), 2],
      [await sb.run(['frobnicate']), 2],
      [await sb.runP(['worker', 'list', '--vault', path.join(sb.dir, 'missing', 'vault.db')]), 2],
      [await sb.runP(['worker', 'import', path.join(sb.dir, 'missing.csv')]), 2],
      [await sb.run(['worker', 'list', '--passphrase-file', path.join(sb.dir, 'missing-pass.txt')]), 2],
    ];
    for (const [r, code] of runs) {
      expect(r.exitCode, r.stderr).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^schuilnaam: error: /u);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });

  it('with SCHUILNAAM_DEBUG=1 an error path prints a stack, exit code unchanged', async () => {
    const wrong = path.join(sb.dir, 'wrong.txt');
    fs.writeFileSync(wrong, 'een verkeerde zin van woorden\n', { mode: 0o600 });
    const r = await sb.run(['worker', 'list', '--passphrase-file', wrong], { env: { SCHUILNAAM_DEBUG: '1' } });
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^schuilnaam: error: wrong passphrase/u);
    expect(r.stderr).toMatch(STACK_LINE);
  });
});

describe('a closed stdout', () => {
  it('scan piped into a reader that stops early ends with status 141 and no stack trace', async () => {
    // Enough findings that the JSON is far bigger than a pipe buffer.
    const file = path.join(sb.dir, 'many.txt');
    fs.writeFileSync(file, 'Hanneke van der Linde schreef.\n'.repeat(20_000));
    // bash's PIPESTATUS holds the scan's own status, not head's.
    const b = await execa('bash', ['-c', `${sh(process.execPath)} ${sh(BIN)} scan ${sh(file)} --json --passphrase-file ${sh(sb.passFile)} | head -c 100 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      env: { ...sb.env },
      reject: false,
    });
    expect(b.stdout.trim()).toBe('141');
    expect(b.stderr).not.toMatch(STACK_LINE);
  });
});

describe('verify', () => {
  it('a healthy vault: exit 0, human and --json {"ok":true,"problems":[]}', async () => {
    const human = ok(await sb.runP(['verify']));
    expect(human.stdout).toMatch(/\bok\b/u);
    const r = ok(await sb.runP(['verify', '--json']));
    const out = json<{ ok: boolean; problems: unknown[] }>(r);
    expect(out.ok).toBe(true);
    expect(out.problems).toEqual([]);
  });
});

describe('demo', () => {
  const demoTmp = () => {
    const tmp = fs.mkdtempSync(path.join(sb.dir, 'tmp-'));
    return tmp;
  };

  it('runs to completion and removes its folder', async () => {
    const tmp = demoTmp();
    fs.writeFileSync(path.join(tmp, 'already-here.txt'), 'x');
    const before = fs.readdirSync(tmp).sort();
    const r = await sb.run(['demo'], { env: { TMPDIR: tmp } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('$ schuilnaam init');
    expect(r.stdout).toContain('$ schuilnaam worker list');
    // A caseworker enrols with her own passphrase, is refused the roster, and works without --worker.
    expect(r.stdout).toContain('$ schuilnaam user join sanne --code-file sanne-code.txt --new-passphrase-file sanne-pass.txt\njoined as sanne (caseworker)');
    expect(r.stdout).toMatch(/\$ schuilnaam worker list\nschuilnaam: error: the caseworker role may not read workers' real identities\n[^\n]*\n\(exit 3\)/u);
    expect(r.stdout).toMatch(/\$ schuilnaam render uitnodiging --case JB-2026-0042 --out uitnodiging\.docx [^\n]*\nrendered D-\w+ -> uitnodiging\.docx/u);
    expect(r.stdout).toMatch(/demo vault has been removed/u);
    expect(r.stdout).toContain(path.join(tmp, 'schuilnaam-demo-'));
    noAnsi(r);
    expect(fs.readdirSync(tmp).sort()).toEqual(before);
    // It did not touch the sandbox's own vault.
    const listed = json<{ last_name: string }[]>(ok(await sb.runP(['worker', 'list', '--json'])));
    expect(listed.map((w) => w.last_name)).toEqual(['Linde']);
  });

  it('--keep keeps the folder and prints its path', async () => {
    const tmp = demoTmp();
    const r = await sb.run(['demo', '--keep'], { env: { TMPDIR: tmp } });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const created = fs.readdirSync(tmp).filter((n) => n.startsWith('schuilnaam-demo-'));
    expect(created).toHaveLength(1);
    const kept = path.join(tmp, created[0]!);
    expect(r.stdout).toContain(kept);
    expect(r.stdout).not.toMatch(/has been removed/u);
    expect(fs.existsSync(path.join(kept, 'vault.db'))).toBe(true);
    // The kept vault works with the command the demo suggests.
    const listed = await sb.run(['worker', 'list', '--json', '--passphrase-file', path.join(kept, 'pass.txt')], {
      env: { SCHUILNAAM_VAULT: path.join(kept, 'vault.db') },
    });
    expect(listed.exitCode).toBe(0);
    expect(json<unknown[]>(listed).length).toBeGreaterThan(0);
  });
});
