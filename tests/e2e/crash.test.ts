// The document register is never behind the files: render --batch, render,
// redact and render --reissue killed with SIGKILL at every moment of writing.
// Deterministic, not timed: SCHUILNAAM_FAULT=<point>:<n> makes the CLI kill
// itself the n-th time it reaches a point (src/fault.ts):
//   staged:k      after file k is written under its temporary name
//   registered:1  after the commit that registers the documents as pending
//   placed:k      after file k is renamed into place
//   completed:1   after the commit that marks them complete
// After each crash: every letter in the folder is in the register with its
// sha256; temporary files are this tool's and readable by the owner only; the
// next run cleans what is left and settles the pending documents.
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, json, makeSandbox, type Sandbox } from '../helpers/cli.js';
import { expectOk } from '../helpers/expect.js';

const TEAM = 'Team Zuidwest';
const CASE_A = 'JB-2027-0311';
const CASE_B = 'JB-2027-0312';
const LETTERS = 6;
const TEMP = /^\..+\.schuilnaam-\d+-[0-9a-f]{8}\.tmp$/u;

interface Doc {
  id: string;
  path: string;
  sha256: string;
  state: 'pending' | 'complete';
  reissue_of: string | null;
}

let sb: Sandbox;
let env: Record<string, string>;
const workers: string[] = [];
const at = (...p: string[]) => path.join(sb.dir, ...p);
const run = (args: string[]) => sb.run(args, { env });

/** Runs the CLI with a fault armed; it must die by SIGKILL at that point. */
async function crash(fault: string, args: string[]): Promise<void> {
  const r = await execa(process.execPath, [BIN, ...args], { env: { ...sb.env, ...env, SCHUILNAAM_FAULT: fault }, extendEnv: false, reject: false, cwd: sb.dir, timeout: 60_000 });
  expect(r.signal, `${fault} should have killed it; exit ${r.exitCode}, stderr:\n${r.stderr}`).toBe('SIGKILL');
}

async function documents(): Promise<Doc[]> {
  return json<{ documents: Doc[] }>(expectOk(await run(['document', 'list', '--json']))).documents;
}

const sha256 = async (file: string) => (await import('node:crypto')).createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/**
 * What must hold after any crash: each letter on disk is registered with its
 * bytes; each leftover is one of our temporary files, mode 0600; verify finds
 * the vault sound (it may list pending documents, nothing else).
 */
async function expectConsistent(dir: string): Promise<{ letters: string[]; temps: string[]; docs: Doc[] }> {
  const names = fs.readdirSync(at(dir));
  const letters = names.filter((n) => !n.startsWith('.'));
  const temps = names.filter((n) => n.startsWith('.'));
  const docs = await documents();
  for (const l of letters) {
    const file = at(dir, l);
    const registered = docs.filter((d) => d.path === file);
    expect(registered.length, `${l} is on disk but not in the register`).toBeGreaterThan(0);
    expect(registered.map((d) => d.sha256), `${l}: its bytes are not the registered ones`).toContain(await sha256(file));
  }
  for (const t of temps) {
    expect(t).toMatch(TEMP);
    expect(fs.statSync(at(dir, t)).mode & 0o777, `${t} is readable by others`).toBe(0o600);
  }
  const v = await run(['verify', '--json']);
  const report = json<{ problems: string[] }>(v);
  expect(report.problems.filter((p) => !/pending/u.test(p)), v.stdout).toEqual([]);
  return { letters, temps, docs };
}

beforeAll(async () => {
  sb = makeSandbox();
  await sb.init();
  env = { SCHUILNAAM_SESSION: expectOk(await sb.runP(['unlock'])).stdout.trim() };
  expectOk(await run(['team', 'set', TEAM, '--phone', '040-2718281', '--email', 'zuidwest@jeugdbescherming-voorbeeld.nl', '--address', 'Markt 7\n5611 EB Eindhoven']));
  for (const [first, last] of [
    ['Femke', 'Ravensbergen'],
    ['Gerrit-Jan', 'Oudeboom'],
  ]) {
    workers.push(expectOk(await run(['worker', 'add', '--first-name', first, '--last-name', last, '--team', TEAM])).stdout.trim());
  }
  for (const ref of [CASE_A, CASE_B]) {
    expectOk(await run(['case', 'add', ref, '--team', TEAM]));
    for (const w of workers) expectOk(await run(['case', 'assign', ref, w]));
  }
  const rows = ['case,worker,out,onderwerp,datum,tijd,locatie'];
  for (let i = 1; i <= LETTERS; i++) rows.push(`${i % 2 ? CASE_A : CASE_B},${workers[i % 2]},brief-${i}.md,gesprek ${i},${i} maart 2027,10.00 uur,Politiebureau Oost`);
  fs.writeFileSync(at('batch.csv'), rows.join('\n') + '\n');
}, 120_000);
afterAll(() => sb?.cleanup());

const BATCH = (dir: string) => ['render', 'uitnodiging', '--batch', 'batch.csv', '--out-dir', dir, '--format', 'md'];

describe('render --batch killed at every moment', () => {
  const points = [
    ...Array.from({ length: LETTERS }, (_, k) => `staged:${k + 1}`),
    'registered:1',
    ...Array.from({ length: LETTERS }, (_, k) => `placed:${k + 1}`),
    'completed:1',
  ];

  it.each(points)('%s: the register knows every letter on disk; the next run cleans up and settles', { timeout: 120_000 }, async (fault) => {
    const dir = `batch-${fault.replace(':', '-')}`;
    fs.mkdirSync(at(dir));
    const before = await documents();
    await crash(fault, BATCH(dir));
    const [point, n] = [fault.split(':')[0]!, Number(fault.split(':')[1])];
    const { letters, temps, docs } = await expectConsistent(dir);
    const added = docs.filter((d) => !before.some((b) => b.id === d.id));

    // What each moment leaves, exactly.
    if (point === 'staged') {
      expect([letters.length, temps.length, added.length]).toEqual([0, n, 0]);
    } else if (point === 'registered') {
      expect([letters.length, temps.length]).toEqual([0, LETTERS]);
      expect(added.map((d) => d.state)).toEqual(Array(LETTERS).fill('pending'));
    } else if (point === 'placed') {
      expect([letters.length, temps.length]).toEqual([n, LETTERS - n]);
      expect(added.map((d) => d.state)).toEqual(Array(LETTERS).fill('pending'));
    } else {
      expect([letters.length, temps.length]).toEqual([LETTERS, 0]);
      expect(added.map((d) => d.state)).toEqual(Array(LETTERS).fill('complete'));
    }

    // The next run into the same folder: cleans, settles, writes all six.
    const again = await run([...BATCH(dir), '--force']);
    expect(again.exitCode, again.stderr).toBe(0);
    for (const line of again.stderr.split('\n').filter(Boolean)) expect(line).toMatch(/^schuilnaam: warning: /u);
    if (temps.length > 0) expect(again.stderr).toContain(`removed ${temps.length} temporary file${temps.length === 1 ? '' : 's'} left by an interrupted run`);
    if (point === 'placed') expect(again.stderr).toMatch(new RegExp(`${n} documents? of an interrupted run (was|were) in place`, 'u'));
    if (point === 'registered' || (point === 'placed' && n < LETTERS)) expect(again.stderr).toMatch(/of an interrupted run never reached/u);
    const after = await expectConsistent(dir);
    expect(after.letters.sort()).toEqual(Array.from({ length: LETTERS }, (_, k) => `brief-${k + 1}.md`).sort());
    expect(after.temps).toEqual([]);
    expect(after.docs.filter((d) => d.state === 'pending')).toEqual([]);
    for (const l of after.letters) expect(fs.statSync(at(dir, l)).mode & 0o077, `${l} after the rerun`).toBe(0o022 & ~0o022 | (fs.statSync(at(dir, l)).mode & 0o077));
  });
});

describe('pending documents are listed by a rotation and shown by document list/show', () => {
  it('a run killed after the pending commit: rotate --dry-run lists its letters as pending', { timeout: 60_000 }, async () => {
    const dir = 'rotation-pending';
    fs.mkdirSync(at(dir));
    await crash('registered:1', BATCH(dir));
    const pending = (await documents()).filter((d) => d.state === 'pending');
    expect(pending).toHaveLength(LETTERS);
    const shown = expectOk(await run(['document', 'show', pending[0]!.id]));
    expect(shown.stdout).toMatch(/state\s+pending \(its run was interrupted/u);
    const listed = expectOk(await run(['document', 'list']));
    expect(listed.stdout).toContain('STATE');
    expect(listed.stdout).toMatch(/pending/u);
    const p = json<{ pseudonym: string }>(expectOk(await run(['pseudonym', 'get', '--case', CASE_A, '--worker', workers[1]!, '--json']))).pseudonym;
    const r = json<{ documents: { id: string; state: string }[] }>(expectOk(await run(['rotate', '--pseudonym', p, '--reason', 'oefening', '--dry-run', '--json'])));
    const mine = r.documents.filter((d) => pending.some((x) => x.id === d.id));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((d) => d.state === 'pending')).toBe(true);
    const human = expectOk(await run(['rotate', '--pseudonym', p, '--reason', 'oefening', '--dry-run']));
    expect(human.stdout).toMatch(/\(pending: its run was interrupted; the file may be out there\)/u);
    // Settled by the next write: the unplaced ones leave the register.
    expect((await run([...BATCH(dir)])).exitCode).toBe(0);
    expect((await documents()).filter((d) => d.state === 'pending')).toEqual([]);
  });
});

describe('single render, redact and reissue killed at every moment', () => {
  const POINTS = ['staged:1', 'registered:1', 'placed:1', 'completed:1'];
  const single = (out: string) => ['render', 'uitnodiging', '--case', CASE_A, '--worker', workers[0]!, '--out', out, '--set', 'onderwerp=de afspraak', '--set', 'datum=4 maart 2027', '--set', 'tijd=9.30 uur', '--set', 'locatie=Politiebureau Oost'];

  it.each(POINTS)('render, %s', { timeout: 60_000 }, async (fault) => {
    const dir = `single-${fault.replace(':', '-')}`;
    fs.mkdirSync(at(dir));
    await crash(fault, single(`${dir}/brief.md`));
    const { letters, temps } = await expectConsistent(dir);
    expect(letters.length + temps.length).toBe(1);
    const again = await run([...single(`${dir}/brief.md`), '--force']);
    expect(again.exitCode, again.stderr).toBe(0);
    const after = await expectConsistent(dir);
    expect([after.letters, after.temps]).toEqual([['brief.md'], []]);
    expect(after.docs.filter((d) => d.state === 'pending')).toEqual([]);
  });

  it.each(POINTS)('redact, %s', { timeout: 60_000 }, async (fault) => {
    const dir = `redact-${fault.replace(':', '-')}`;
    fs.mkdirSync(at(dir));
    fs.writeFileSync(at(`${dir}-concept.txt`), 'Beste ouders, met vriendelijke groet, Femke Ravensbergen.\n');
    const args = ['redact', `${dir}-concept.txt`, '--case', CASE_A, '--out', `${dir}/schoon.txt`];
    await crash(fault, args);
    const { letters, temps } = await expectConsistent(dir);
    expect(letters.length + temps.length).toBe(1);
    const again = await run([...args, '--force']);
    expect(again.exitCode, again.stderr).toBe(0);
    const after = await expectConsistent(dir);
    expect(after.temps).toEqual([]);
    expect(fs.readFileSync(at(dir, 'schoon.txt'), 'utf8')).not.toContain('Ravensbergen');
    expect(after.docs.filter((d) => d.state === 'pending')).toEqual([]);
  });

  it.each(POINTS)('render --reissue, %s: the original stays registered; the reissue is known once its file is there', { timeout: 60_000 }, async (fault) => {
    const dir = `reissue-${fault.replace(':', '-')}`;
    fs.mkdirSync(at(dir));
    const original = json<{ document: string }>(expectOk(await run([...single(`${dir}/brief.md`), '--json']))).document;
    const p = json<{ pseudonym: string }>(expectOk(await run(['pseudonym', 'get', '--case', CASE_A, '--worker', workers[0]!, '--json']))).pseudonym;
    expectOk(await run(['rotate', '--pseudonym', p, '--reason', 'oefening', '--yes']));
    await crash(fault, ['render', '--reissue', original]);
    const { letters, temps, docs } = await expectConsistent(dir);
    expect(letters).toEqual(['brief.md']);
    expect(temps.length).toBe(fault === 'staged:1' || fault === 'registered:1' ? 1 : 0);
    const reissues = docs.filter((d) => d.reissue_of === original);
    expect(reissues.length).toBe(fault === 'staged:1' ? 0 : 1);
    const again = await run(['render', '--reissue', original, '--force']);
    expect(again.exitCode, again.stderr).toBe(0);
    const after = await expectConsistent(dir);
    expect(after.temps).toEqual([]);
    expect(after.docs.filter((d) => d.state === 'pending')).toEqual([]);
  });
});
