// End-to-end behaviour of cases, pseudonyms, rotation and offboarding on the
// built CLI, plus a rotation killed part-way (all-or-nothing) and a byte-level
// check that nothing case-facing or identifying sits in the vault in plaintext.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, PASSPHRASE, json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError as fails, expectOk as ok } from '../helpers/expect.js';

// ---------------------------------------------------------------------------
// helpers

interface CaseJson {
  id: string;
  reference: string;
  team: string | null;
  risk: string;
  workers: string[];
}

interface PseudonymJson {
  pseudonym: string;
  formal: string;
  worker: string;
  case: string | null;
  scope: 'case' | 'worker';
  status: 'active' | 'retired' | 'compromised';
  style?: string;
}

interface HistoryJson extends PseudonymJson {
  replaced_by: string | null;
  reason: string | null;
  compromise: string | null;
}

interface RotateJson {
  rotated: { old: string; new: string | null; worker: string; case: string | null }[];
  documents: unknown[];
  cases: string[];
  compromise: string | null;
}

/** The formal form of a name pseudonym: initials of the first name, then the surname as it is. */
function expectedFormal(name: string): string {
  const [first, ...rest] = name.split(' ');
  const initials = first!
    .split('-')
    .filter((p) => p !== '')
    .map((p) => (/^ij/iu.test(p) ? 'IJ' : [...p][0]!.toLocaleUpperCase('nl')) + '.')
    .join('');
  return `${initials} ${rest.join(' ')}`;
}

const CODE = /^[A-Z]{1,4}-\d{4,}-[0-9A-Z]$/u;

/** Unlocks once and returns a runner that uses the session. */
async function session(sb: Sandbox): Promise<(args: string[]) => Promise<RunResult>> {
  const u = ok(await sb.runP(['unlock']));
  const token = u.stdout.trim();
  expect(token).not.toBe('');
  return (args) => sb.run(args, { env: { SCHUILNAAM_SESSION: token } });
}

// ---------------------------------------------------------------------------
// the whole flow on one vault (the tests build on each other, in order)

describe('cases, pseudonyms and rotation through the CLI', () => {
  let sb: Sandbox;
  let cli: (args: string[]) => Promise<RunResult>;

  // Invented workers; distinctive names so a byte search cannot hit by chance.
  const people = {
    ysolde: { first: 'Ysolde', prefix: 'van der', last: 'Kloosterboer', email: 'ysolde.kloosterboer@jeugdzorg-proef.nl', team: 'Team Noord' },
    thijmen: { first: 'Thijmen', prefix: '', last: 'Harkemaweer', email: 't.harkemaweer@jeugdzorg-proef.nl', team: 'Team Oost' },
    marieke: { first: 'Mariekje', prefix: 'de', last: 'Brouwershoek', email: 'm.debrouwershoek@jeugdzorg-proef.nl', team: 'Team Noord' },
    gerolf: { first: 'Gerolf', prefix: '', last: 'Zandstrakamp', email: 'gerolf.zandstrakamp@jeugdzorg-proef.nl', team: 'Team Noord' },
  };
  const ids: Record<keyof typeof people, string> = { ysolde: '', thijmen: '', marieke: '', gerolf: '' };

  const REF1 = 'JBQ-2026-0417';
  const REF2 = 'JBQ-2026-0418';
  const REF3 = 'JBQ-2026-0419';
  const REF_OOST = 'OOSTQ-2026-0077';
  const REF_WEST = 'WESTQ-2026-0078';
  const REF4 = 'JBQ-2026-0420';
  const refs = [REF1, REF2, REF3, REF_OOST, REF_WEST, REF4];

  /** Every pseudonym the CLI showed us, for the byte-level check at the end. */
  const seen = new Set<string>();
  const REASON = 'naam gedeeld in besloten Facebookgroep qz7';

  const get = async (ref: string, worker: string, extra: string[] = []): Promise<PseudonymJson> => {
    const p = json<PseudonymJson>(ok(await cli(['pseudonym', 'get', '--case', ref, '--worker', worker, '--json', ...extra])));
    seen.add(p.pseudonym);
    return p;
  };
  const listOf = async (flag: '--case' | '--worker', value: string): Promise<PseudonymJson[]> => {
    const rows = json<PseudonymJson[]>(ok(await cli(['pseudonym', 'list', flag, value, '--json'])));
    for (const r of rows) seen.add(r.pseudonym);
    return rows;
  };

  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    cli = await session(sb);
    await Promise.all(
      (Object.keys(people) as (keyof typeof people)[]).map(async (k) => {
        const p = people[k];
        const r = ok(
          await cli([
            'worker', 'add', '--first-name', p.first, ...(p.prefix ? ['--prefix', p.prefix] : []), '--last-name', p.last,
            '--email', p.email, '--team', p.team, '--json',
          ]),
        );
        ids[k] = json<{ id: string }>(r).id;
        expect(ids[k]).toMatch(/^W-/u);
      }),
    );
  });
  afterAll(() => sb?.cleanup());

  it('case add / assign / show / list', async () => {
    const added = json<CaseJson>(ok(await cli(['case', 'add', REF1, '--team', 'Team Noord', '--risk', 'high', '--json'])));
    expect(added).toMatchObject({ reference: REF1, team: 'Team Noord', risk: 'high', workers: [] });
    expect(added.id).toMatch(/^C-/u);
    // human output, default risk
    const human = ok(await cli(['case', 'add', REF2, '--team', 'Team Noord']));
    expect(human.stdout).toContain(REF2);
    ok(await cli(['case', 'add', REF3, '--team', 'Team Noord']));

    fails(await cli(['case', 'add', REF1, '--team', 'Team Noord']), 2, /already exists/u);
    fails(await cli(['case', 'add', 'JBQ-X', '--risk', 'extreme']), 2);

    const assigned = json<CaseJson>(ok(await cli(['case', 'assign', REF1, ids.ysolde, '--json'])));
    expect(assigned.workers).toEqual([ids.ysolde]);
    ok(await cli(['case', 'assign', REF1, ids.thijmen]));
    ok(await cli(['case', 'assign', REF1, ids.marieke]));
    ok(await cli(['case', 'assign', REF2, ids.ysolde]));
    ok(await cli(['case', 'assign', REF2, ids.marieke]));
    ok(await cli(['case', 'assign', REF3, ids.thijmen]));
    ok(await cli(['case', 'assign', REF3, ids.gerolf]));
    fails(await cli(['case', 'assign', 'JBQ-NOPE', ids.ysolde]), 2, /JBQ-NOPE/u);
    fails(await cli(['case', 'assign', REF1, 'W-zzzzzzzz']), 2, /W-zzzzzzzz/u);

    const shown = json<CaseJson>(ok(await cli(['case', 'show', REF1, '--json'])));
    expect(shown).toMatchObject({ id: added.id, reference: REF1, team: 'Team Noord', risk: 'high' });
    expect([...shown.workers].sort()).toEqual([ids.ysolde, ids.thijmen, ids.marieke].sort());
    fails(await cli(['case', 'show', 'JBQ-NOPE']), 2);

    const list = json<CaseJson[]>(ok(await cli(['case', 'list', '--json'])));
    expect(list.map((c) => c.reference).sort()).toEqual([REF1, REF2, REF3].sort());
    expect(list.find((c) => c.reference === REF2)).toMatchObject({ team: 'Team Noord', risk: 'normal' });
    expect(list.find((c) => c.reference === REF3)!.workers.sort()).toEqual([ids.thijmen, ids.gerolf].sort());
  });

  let ysoldeRef1 = '';
  let ysoldeRef2 = '';

  it('pseudonym get: JSON shape, formal form, human output, stable on repeat', async () => {
    const p = await get(REF1, ids.ysolde);
    for (const k of ['pseudonym', 'formal', 'worker', 'case', 'scope', 'status']) expect(p).toHaveProperty(k);
    expect(p).toMatchObject({ worker: ids.ysolde, case: REF1, scope: 'case', status: 'active' });
    expect(p.pseudonym).toMatch(/^\S+ \S/u);
    expect(p.formal).toBe(expectedFormal(p.pseudonym));
    ysoldeRef1 = p.pseudonym;

    const human = ok(await cli(['pseudonym', 'get', '--case', REF1, '--worker', ids.ysolde]));
    expect(human.stdout).toBe(`${ysoldeRef1}\n`);
    expect((await get(REF1, ids.ysolde)).pseudonym).toBe(ysoldeRef1);

    // another case: another (case-scoped) name; another worker in the same case: another name
    ysoldeRef2 = (await get(REF2, ids.ysolde)).pseudonym;
    expect(ysoldeRef2).not.toBe(ysoldeRef1);
    const other = await get(REF1, ids.thijmen);
    expect(other.pseudonym).not.toBe(ysoldeRef1);
    expect(other.formal).not.toBe(p.formal);
  });

  let mariekeWide = '';

  it('--scope worker gives one name for all the worker\'s cases', async () => {
    const a = await get(REF1, ids.marieke, ['--scope', 'worker']);
    const b = await get(REF2, ids.marieke, ['--scope', 'worker']);
    mariekeWide = a.pseudonym;
    expect(a).toMatchObject({ scope: 'worker', status: 'active', worker: ids.marieke, case: REF1 });
    expect(b).toMatchObject({ scope: 'worker', status: 'active', worker: ids.marieke });
    expect(b.pseudonym).toBe(a.pseudonym);
    expect(b.formal).toBe(a.formal);
    expect(a.formal).toBe(expectedFormal(a.pseudonym));
    // CLI.md: `pseudonym get` reports the case it was asked for, also for an existing worker-wide name
    const again = await get(REF1, ids.marieke, ['--scope', 'worker']);
    expect(again.pseudonym).toBe(a.pseudonym);
    expect.soft(b.case, 'case of an existing worker-wide pseudonym, asked for REF2').toBe(REF2);
    expect.soft(again.case, 'case of an existing worker-wide pseudonym, asked for REF1').toBe(REF1);
  });

  it('--style code gives an officer-style code, formal equal to it', async () => {
    const c = await get(REF3, ids.thijmen, ['--style', 'code']);
    expect(c.pseudonym).toMatch(CODE);
    expect(c.formal).toBe(c.pseudonym);
    expect(c).toMatchObject({ scope: 'case', status: 'active', case: REF3 });
    const human = ok(await cli(['pseudonym', 'get', '--case', REF3, '--worker', ids.thijmen]));
    expect(human.stdout).toBe(`${c.pseudonym}\n`);
  });

  const teamCodes = async (team: string, ref: string, prefix: string) => {
    ok(await cli(['case', 'add', ref, '--team', team, '--risk', 'high']));
    ok(await cli(['case', 'assign', ref, ids.thijmen]));
    ok(await cli(['case', 'assign', ref, ids.ysolde]));
    ok(await cli(['team', 'set', team, '--style', 'code', '--code-prefix', prefix]));
    const a = await get(ref, ids.thijmen);
    const b = await get(ref, ids.ysolde);
    for (const p of [a, b]) {
      expect(p.pseudonym).toMatch(CODE);
      expect(p.pseudonym.startsWith(`${prefix}-`)).toBe(true);
      expect(p.formal).toBe(p.pseudonym);
      expect(p.style).toBe('code');
    }
    expect(a.pseudonym).not.toBe(b.pseudonym);
  };

  it('team set --style code --code-prefix JBW: new pseudonyms for that team are codes with the prefix', async () => {
    await teamCodes('Team West', REF_WEST, 'JBW');
    // a Team Noord case is unaffected: still a name
    expect((await get(REF1, ids.thijmen)).pseudonym).not.toMatch(CODE);
  });

  it('a code prefix with I or O (read as 1 and 0) is refused; the `team --help` example works', async () => {
    fails(await cli(['team', 'set', 'Team Oost', '--style', 'code', '--code-prefix', 'JBO']), 2, /other than I and O/u);
    const help = await cli(['team', '--help']);
    expect(help.stdout).toContain('--code-prefix JBW');
    await teamCodes('Team Oost', REF_OOST, 'JBW');
  });

  it('pseudonym get: exit 2 for an unknown case, unknown worker, unassigned worker, bad --scope', async () => {
    fails(await cli(['pseudonym', 'get', '--case', 'JBQ-NOPE', '--worker', ids.ysolde]), 2, /JBQ-NOPE/u);
    fails(await cli(['pseudonym', 'get', '--case', REF1, '--worker', 'W-zzzzzzzz']), 2, /W-zzzzzzzz/u);
    fails(await cli(['pseudonym', 'get', '--case', REF1, '--worker', 'nobody']), 2);
    fails(await cli(['pseudonym', 'get', '--case', REF1, '--worker', ids.gerolf, '--json']), 2, /case assign/u);
    fails(await cli(['pseudonym', 'get', '--case', REF1, '--worker', ids.ysolde, '--scope', 'galaxy']), 2, /scope/u);
    fails(await cli(['pseudonym', 'get', '--case', REF1]), 2);
  });

  it('pseudonym resolve: the worker behind a name; --reason required; unknown name is exit 2', async () => {
    const r = json<PseudonymJson>(ok(await cli(['pseudonym', 'resolve', ysoldeRef1, '--reason', 'police request 2026-118', '--json'])));
    expect(r).toMatchObject({ pseudonym: ysoldeRef1, worker: ids.ysolde, status: 'active', case: REF1 });
    // any spelling of the same name resolves
    const lower = json<PseudonymJson>(ok(await cli(['pseudonym', 'resolve', ysoldeRef1.toLowerCase(), '--reason', 'case check', '--json'])));
    expect(lower.worker).toBe(ids.ysolde);
    fails(await cli(['pseudonym', 'resolve', ysoldeRef1]), 2, /reason/u);
    fails(await cli(['pseudonym', 'resolve', ysoldeRef1, '--reason', '   ']), 2);
    fails(await cli(['pseudonym', 'resolve', 'Zwaantje Nergensbijkamp', '--reason', 'threat report']), 2, /Zwaantje Nergensbijkamp/u);
  });

  it('rotate --dry-run shows the impact and changes nothing; no --yes without a TTY is exit 2', async () => {
    const dry = json<RotateJson>(ok(await cli(['rotate', '--pseudonym', ysoldeRef1, '--reason', REASON, '--dry-run', '--json'])));
    expect(dry.rotated).toHaveLength(1);
    expect(dry.rotated[0]).toMatchObject({ old: ysoldeRef1, new: null, worker: ids.ysolde, case: REF1 });
    expect(dry.cases).toEqual([REF1]);
    expect(dry.documents).toEqual([]);
    expect((await get(REF1, ids.ysolde)).pseudonym).toBe(ysoldeRef1);

    fails(await cli(['rotate', '--pseudonym', ysoldeRef1, '--reason', REASON]), 2, /--yes/u);
    fails(await cli(['rotate', '--pseudonym', ysoldeRef1, '--reason', REASON, '--json']), 2, /--yes/u);
    expect((await get(REF1, ids.ysolde)).pseudonym).toBe(ysoldeRef1);
    const rows = await listOf('--worker', ids.ysolde);
    expect(rows.every((p) => p.status === 'active')).toBe(true);
  });

  it('rotate argument errors: exactly one target, a reason, an active pseudonym', async () => {
    fails(await cli(['rotate', '--pseudonym', ysoldeRef1, '--worker', ids.ysolde, '--reason', REASON, '--yes']), 2, /exactly one/u);
    fails(await cli(['rotate', '--worker', ids.ysolde, '--case', REF1, '--reason', REASON, '--yes']), 2, /exactly one/u);
    fails(await cli(['rotate', '--reason', REASON, '--yes']), 2, /exactly one/u);
    fails(await cli(['rotate', '--pseudonym', ysoldeRef1, '--yes']), 2, /reason/u);
    fails(await cli(['rotate', '--pseudonym', 'Zwaantje Nergensbijkamp', '--reason', REASON, '--yes']), 2);
    fails(await cli(['rotate', '--worker', 'W-zzzzzzzz', '--reason', REASON, '--yes']), 2);
    fails(await cli(['rotate', '--case', 'JBQ-NOPE', '--reason', REASON, '--yes']), 2);
    expect((await get(REF1, ids.ysolde)).pseudonym).toBe(ysoldeRef1);
  });

  let ysoldeRef1New = '';

  it('rotate --pseudonym --yes replaces exactly that pseudonym', async () => {
    const out = json<RotateJson>(ok(await cli(['rotate', '--pseudonym', ysoldeRef1, '--reason', REASON, '--yes', '--json'])));
    expect(out.rotated).toHaveLength(1);
    const [e] = out.rotated;
    expect(e).toMatchObject({ old: ysoldeRef1, worker: ids.ysolde, case: REF1 });
    expect(typeof e!.new).toBe('string');
    expect(e!.new).not.toBe(ysoldeRef1);
    expect(out.documents).toEqual([]);
    expect(out.cases).toEqual([REF1]);
    expect(out.compromise).toMatch(/^X-/u);
    ysoldeRef1New = e!.new!;
    seen.add(ysoldeRef1New);

    const now = await get(REF1, ids.ysolde);
    expect(now.pseudonym).toBe(ysoldeRef1New);
    expect(now.formal).toBe(expectedFormal(ysoldeRef1New));
    // the same worker in another case keeps their case-scoped name
    expect((await get(REF2, ids.ysolde)).pseudonym).toBe(ysoldeRef2);

    // the old name still resolves, as compromised
    const res = json<PseudonymJson>(ok(await cli(['pseudonym', 'resolve', ysoldeRef1, '--reason', 'who was this', '--json'])));
    expect(res).toMatchObject({ pseudonym: ysoldeRef1, worker: ids.ysolde, status: 'compromised', case: REF1 });
    // and cannot be rotated again
    fails(await cli(['rotate', '--pseudonym', ysoldeRef1, '--reason', REASON, '--yes']), 2, /compromised/u);

    const hist = json<HistoryJson[]>(ok(await cli(['pseudonym', 'history', '--worker', ids.ysolde, '--json'])));
    const old = hist.find((h) => h.pseudonym === ysoldeRef1)!;
    expect(old).toMatchObject({ status: 'compromised', replaced_by: ysoldeRef1New, reason: REASON, case: REF1 });
    expect(old.compromise).toBe(out.compromise);
    expect(hist.find((h) => h.pseudonym === ysoldeRef1New)).toMatchObject({ status: 'active', replaced_by: null });

    // lists show every status
    const byCase = await listOf('--case', REF1);
    expect(byCase.find((p) => p.pseudonym === ysoldeRef1)?.status).toBe('compromised');
    expect(byCase.find((p) => p.pseudonym === ysoldeRef1New)?.status).toBe('active');
    expect(byCase.find((p) => p.pseudonym === mariekeWide)).toMatchObject({ scope: 'worker', status: 'active' });
    const byWorker = await listOf('--worker', ids.ysolde);
    expect(byWorker.map((p) => [p.pseudonym, p.status]).sort()).toEqual(
      [
        [ysoldeRef1, 'compromised'],
        [ysoldeRef1New, 'active'],
        [ysoldeRef2, 'active'],
        ...byWorker.filter((p) => p.case === REF_OOST || p.case === REF_WEST).map((p) => [p.pseudonym, 'active']),
      ].sort(),
    );
    fails(await cli(['pseudonym', 'list', '--json']), 2);
    fails(await cli(['pseudonym', 'list', '--case', 'JBQ-NOPE']), 2);
  });

  it('rotate --worker --yes replaces all of a worker\'s active pseudonyms (worker-wide and per case)', async () => {
    await get(REF1, ids.marieke); // a case-scoped one next to the worker-wide one
    const before = (await listOf('--worker', ids.marieke)).filter((p) => p.status === 'active');
    expect(before.length).toBe(2);
    const out = json<RotateJson>(ok(await cli(['rotate', '--worker', ids.marieke, '--reason', 'home address shared', '--yes', '--json'])));
    expect(out.rotated.map((e) => e.old).sort()).toEqual(before.map((p) => p.pseudonym).sort());
    expect(out.cases.sort()).toEqual([REF1, REF2].sort());
    const after = await listOf('--worker', ids.marieke);
    for (const b of before) expect(after.find((p) => p.pseudonym === b.pseudonym)?.status).toBe('compromised');
    const active = after.filter((p) => p.status === 'active');
    expect(active.map((p) => p.pseudonym).sort()).toEqual(out.rotated.map((e) => e.new!).sort());
    expect(active.map((p) => p.scope).sort()).toEqual(['case', 'worker']);
    const wide = await get(REF2, ids.marieke, ['--scope', 'worker']);
    expect(wide.pseudonym).not.toBe(mariekeWide);
    expect((await get(REF1, ids.marieke, ['--scope', 'worker'])).pseudonym).toBe(wide.pseudonym);
    // other workers untouched
    expect((await get(REF1, ids.ysolde)).pseudonym).toBe(ysoldeRef1New);
  });

  it('rotate --case --yes replaces the pseudonyms seen in that case only', async () => {
    const before = (await listOf('--case', REF2)).filter((p) => p.status === 'active');
    const names = before.map((p) => p.pseudonym).sort();
    expect(names).toContain(ysoldeRef2);
    const out = json<RotateJson>(ok(await cli(['rotate', '--case', REF2, '--reason', 'case file forwarded', '--yes', '--json'])));
    expect(out.rotated.map((e) => e.old).sort()).toEqual(names);
    expect(out.rotated.every((e) => typeof e.new === 'string' && !names.includes(e.new))).toBe(true);
    expect(out.cases).toContain(REF2);
    const after = await listOf('--case', REF2);
    for (const n of names) expect(after.find((p) => p.pseudonym === n)?.status).toBe('compromised');
    expect((await get(REF2, ids.ysolde)).pseudonym).not.toBe(ysoldeRef2);
    // the same worker's case-scoped name in REF1 is untouched
    expect((await get(REF1, ids.ysolde)).pseudonym).toBe(ysoldeRef1New);
  });

  it('no name is ever issued twice', async () => {
    const all = [ids.ysolde, ids.thijmen, ids.marieke, ids.gerolf];
    const rows = (await Promise.all(all.map((w) => listOf('--worker', w)))).flat();
    const keys = rows.map((r) => r.pseudonym.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('offboarding retires the worker\'s pseudonyms; get is refused afterwards', async () => {
    ok(await cli(['case', 'add', REF4, '--team', 'Team Noord']));
    ok(await cli(['case', 'assign', REF4, ids.gerolf]));
    const a = await get(REF3, ids.gerolf);
    const b = await get(REF4, ids.gerolf);
    fails(await cli(['worker', 'offboard', ids.gerolf]), 2, /--yes/u);
    ok(await cli(['worker', 'offboard', ids.gerolf, '--yes']));
    const rows = await listOf('--worker', ids.gerolf);
    expect(rows.map((r) => [r.pseudonym, r.status]).sort()).toEqual(
      [
        [a.pseudonym, 'retired'],
        [b.pseudonym, 'retired'],
      ].sort(),
    );
    fails(await cli(['pseudonym', 'get', '--case', REF3, '--worker', ids.gerolf]), 2, /offboarded/u);
    const res = json<PseudonymJson>(ok(await cli(['pseudonym', 'resolve', a.pseudonym, '--reason', 'old letter', '--json'])));
    expect(res).toMatchObject({ worker: ids.gerolf, status: 'retired' });
    // retired names are not rotated again
    fails(await cli(['rotate', '--pseudonym', a.pseudonym, '--reason', REASON, '--yes']), 2);
  });

  it('the vault file, WAL and SHM hold no pseudonym, case reference or real name in plaintext', async () => {
    ok(await cli(['verify']));
    ok(await cli(['lock']));
    const files = [sb.vault, `${sb.vault}-wal`, `${sb.vault}-shm`].filter((f) => fs.existsSync(f));
    expect(files).toContain(sb.vault);
    const blob = files.map((f) => fs.readFileSync(f).toString('latin1')).join('\n').toLowerCase();
    const needles = [
      ...seen,
      ...refs,
      ...Object.values(people).flatMap((p) => [p.first, p.last, p.email, `${p.first} ${p.last}`]),
      REASON,
    ];
    expect(seen.size).toBeGreaterThanOrEqual(12);
    for (const n of needles) {
      const lower = n.toLowerCase();
      const utf8 = Buffer.from(lower, 'utf8').toString('latin1');
      expect(blob.includes(utf8), `"${n}" in plaintext in the vault files`).toBe(false);
    }
  });
});

// ---------------------------------------------------------------------------
// a rotation killed part-way

describe('a rotation killed part-way leaves the old or the new state, never a mix', () => {
  const CASES = 1500;
  let sb: Sandbox;
  let token = '';
  let worker = '';

  const run = (args: string[]) => sb.run(args, { env: { SCHUILNAAM_SESSION: token } });
  const rows = async (): Promise<PseudonymJson[]> => json<PseudonymJson[]>(ok(await run(['pseudonym', 'list', '--worker', worker, '--json'])));

  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    token = ok(await sb.runP(['unlock'])).stdout.trim();
    worker = json<{ id: string }>(ok(await run(['worker', 'add', '--first-name', 'Wobbe', '--last-name', 'Hoekstrakamp', '--json']))).id;
    // Build the case load in-process through the vault service: a CLI call per case would take minutes.
    const { VaultFile } = (await import('../../dist/vault/vault.js')) as typeof import('../../src/vault/vault.js');
    const deps = { clock: () => new Date(), random: (n: number) => new Uint8Array(randomBytes(n)), kdfProfile: 'owasp-floor' as const };
    const file = await VaultFile.open(sb.vault, deps);
    const vault = file.unlockWithPassphrase(Buffer.from(PASSPHRASE, 'utf8'));
    try {
      vault.ctx.store.transaction(() => {
        for (let i = 0; i < CASES; i++) {
          const ref = `KILL-${String(i).padStart(5, '0')}`;
          vault.cases.add(ref, 'Team Noord', 'normal');
          vault.cases.assign(ref, worker);
          vault.pseudonyms.get(ref, worker);
        }
      });
    } finally {
      vault.close();
    }
  }, 120_000);
  afterAll(() => sb?.cleanup());

  /** Checks the vault after a run: intact, and the worker's pseudonyms all old or all replaced. */
  async function check(before: PseudonymJson[]): Promise<'old' | 'new'> {
    const v = await run(['verify', '--json']);
    expect(v.exitCode, `verify after a kill: ${v.stdout}${v.stderr}`).toBe(0);
    expect(json<{ ok: boolean }>(v).ok).toBe(true);
    const [after, audit] = await Promise.all([rows(), run(['audit', 'verify', '--json'])]);
    expect(audit.exitCode, `audit verify after a kill: ${audit.stdout}${audit.stderr}`).toBe(0);
    expect(json<{ ok: boolean }>(audit).ok).toBe(true);

    const oldActive = before.filter((p) => p.status === 'active').map((p) => p.pseudonym);
    expect(oldActive).toHaveLength(CASES);
    const status = new Map(after.map((p) => [p.pseudonym, p.status]));
    const nowActive = after.filter((p) => p.status === 'active').map((p) => p.pseudonym);
    expect(nowActive).toHaveLength(CASES);
    const stillActive = oldActive.filter((n) => status.get(n) === 'active').length;
    const compromised = oldActive.filter((n) => status.get(n) === 'compromised').length;
    // all or nothing
    expect([0, CASES], `old names still active after the run: ${stillActive} of ${CASES}`).toContain(stillActive);
    if (stillActive === CASES) {
      expect(after).toHaveLength(before.length);
      expect(after.filter((p) => p.status === 'compromised')).toHaveLength(before.filter((p) => p.status === 'compromised').length);
      return 'old';
    }
    expect(compromised).toBe(CASES);
    expect(after).toHaveLength(before.length + CASES);
    const fresh = new Set(nowActive);
    expect(oldActive.some((n) => fresh.has(n))).toBe(false);
    const keys = after.map((p) => p.pseudonym.toLowerCase());
    expect(new Set(keys).size, 'a name was issued twice').toBe(keys.length);
    return 'new';
  }

  /** True while another connection holds the vault's write lock (the rotation's transaction is open). */
  function writeLocked(db: Database.Database): boolean {
    try {
      db.exec('BEGIN IMMEDIATE');
      db.exec('ROLLBACK');
      return false;
    } catch (e) {
      if (String((e as { code?: string }).code).startsWith('SQLITE_BUSY')) return true;
      throw e;
    }
  }

  /**
   * Whether a process is asleep in SQLite's busy handler, i.e. waiting for a
   * lock: its main thread sleeps in nanosleep only there (libuv waits in
   * epoll, Atomics in futex). Linux's /proc tells; elsewhere this test cannot run.
   */
  function sleepingInBusyWait(pid: number): boolean {
    const wchan = `/proc/${pid}/wchan`;
    if (!fs.existsSync('/proc/self/wchan')) throw new Error('this test needs Linux /proc/<pid>/wchan to see a process wait for the vault lock');
    try {
      return /nanosleep/u.test(fs.readFileSync(wchan, 'utf8'));
    } catch {
      return false; // the process is gone
    }
  }

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('SIGKILL at several points of `rotate --worker ID --yes`', async () => {
    const spawn = (env: Record<string, string> = {}) =>
      execa(process.execPath, [BIN, 'rotate', '--worker', worker, '--reason', 'identity leaked', '--yes', '--json'], {
        env: { ...sb.env, SCHUILNAAM_SESSION: token, ...env },
        extendEnv: false,
        reject: false,
        cwd: sb.dir,
        stdin: 'ignore',
        timeout: 60_000,
        stripFinalNewline: false,
      });
    type Child = ReturnType<typeof spawn>;
    const running = (child: Child) => child.exitCode === null && child.signalCode === null;
    /** Polls until the child holds the write lock (its transaction is open); false if it exited first. */
    const untilLocked = async (db: Database.Database, child: Child, locked = true): Promise<boolean> => {
      for (;;) {
        if (!running(child)) return false;
        if (writeLocked(db) === locked) return true;
        await sleep(2);
      }
    };
    const probe = () => new Database(sb.vault, { fileMustExist: true, timeout: 0 });

    // Killed while it waits for the write lock, which the test holds: the
    // first write of the command is blocked, so nothing of it may be in the
    // vault. Deterministic: the kill comes only once the process is seen
    // asleep in SQLite's busy handler. The test's transaction only locks; it
    // writes nothing, so the integrity triggers never run in it.
    let before = await rows();
    const holder = new Database(sb.vault, { fileMustExist: true, timeout: 0 });
    holder.exec('BEGIN IMMEDIATE');
    const waiting = spawn({ SCHUILNAAM_BUSY_TIMEOUT_MS: '600000' });
    try {
      while (running(waiting) && !sleepingInBusyWait(waiting.pid!)) await sleep(5);
      expect(running(waiting), 'the rotation ended before it waited for the lock').toBe(true);
      waiting.kill('SIGKILL');
    } finally {
      const r = await waiting;
      holder.exec('ROLLBACK');
      holder.close();
      expect(r.signal).toBe('SIGKILL');
      expect(String(r.stdout)).toBe('');
    }
    expect(await check(before), 'killed while waiting for the lock, yet the rotation was committed').toBe('old');

    // Frozen inside its open transaction, then killed: nothing of it may be
    // in the vault. Deterministic: the process is stopped (SIGSTOP) once it
    // holds the write lock, and the lock is checked again while it is stopped,
    // so the kill is known to land between BEGIN and COMMIT. (In the rare
    // case it committed between the two looks, it is tried again.)
    for (let attempt = 1; ; attempt++) {
      before = await rows();
      const watch = probe();
      const child = spawn();
      let frozenInTx = false;
      try {
        expect(await untilLocked(watch, child), 'the rotation never took the write lock').toBe(true);
        process.kill(child.pid!, 'SIGSTOP');
        frozenInTx = writeLocked(watch);
        child.kill('SIGKILL');
      } finally {
        watch.close();
      }
      const r = await child;
      const state = await check(before);
      if (frozenInTx) {
        expect(r.signal).toBe('SIGKILL');
        expect(String(r.stdout)).toBe('');
        expect(state, 'killed inside its transaction, yet (part of) the rotation was committed').toBe('old');
        break;
      }
      expect(attempt, 'never caught the rotation inside its transaction').toBeLessThan(5);
    }

    // The same wait, given up: with a short busy timeout the rotation stops on its own (exit 75) and changes nothing.
    before = await rows();
    const holder2 = new Database(sb.vault, { fileMustExist: true, timeout: 0 });
    holder2.exec('BEGIN IMMEDIATE');
    let busy: RunResult;
    try {
      const b = await spawn({ SCHUILNAAM_BUSY_TIMEOUT_MS: '50' });
      busy = { stdout: String(b.stdout), stderr: String(b.stderr), exitCode: b.exitCode ?? -1 };
    } finally {
      holder2.exec('ROLLBACK');
      holder2.close();
    }
    fails(busy, 75, /^schuilnaam: error: the vault is busy: another schuilnaam process is writing to it\n/u);
    expect(await check(before)).toBe('old');

    // One complete rotation: how long it and its transaction take, and that it replaces everything.
    before = await rows();
    let db = probe();
    const t0 = performance.now();
    const full = spawn();
    expect(await untilLocked(db, full), 'the rotation never took the write lock').toBe(true);
    const lockedAt = performance.now();
    await untilLocked(db, full, false);
    const txMs = performance.now() - lockedAt;
    const r0 = await full;
    const took = performance.now() - t0;
    db.close();
    expect(r0.exitCode, String(r0.stderr)).toBe(0);
    expect(json<RotateJson>({ stdout: String(r0.stdout), stderr: '', exitCode: 0 }).rotated).toHaveLength(CASES);
    expect(await check(before)).toBe('new');

    // Kills inside the transaction, half-way and near its end. Where exactly
    // they land depends on the machine; whatever it is, the vault must hold
    // the old or the new state (check fails on a mix).
    const outcomes: string[] = [];
    for (const fraction of [0.5, 0.85]) {
      before = await rows();
      db = probe();
      const child = spawn();
      if (await untilLocked(db, child)) await sleep(Math.round(txMs * fraction));
      child.kill('SIGKILL');
      const r = await child;
      db.close();
      const state = await check(before);
      outcomes.push(`${fraction} of the transaction: ${r.signal ?? `exit ${r.exitCode}`} -> ${state}`);
      // A result on stdout comes only after the commit (the kill may land after it was printed).
      if (String(r.stdout) !== '') expect(state, 'printed a result, yet nothing was committed').toBe('new');
      if (r.signal !== 'SIGKILL') expect(r.exitCode).toBe(0);
    }
    // And one while the process is still starting up.
    before = await rows();
    const child = spawn();
    await sleep(Math.round((took - txMs) * 0.4));
    child.kill('SIGKILL');
    const r = await child;
    outcomes.push(`startup: ${r.signal ?? `exit ${r.exitCode}`} -> ${await check(before)}`);
    if (process.env.SHOW_KILLS) console.log(`full run ${Math.round(took)}ms, transaction ${Math.round(txMs)}ms\n${outcomes.join('\n')}`);
  }, 180_000);
});
