// Service-level tests of pseudonyms and rotation, on real vaults in a temp dir
// (in process). Invented people only.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { luhnModN } from '../../src/core/check-char.js';
import { foldName, surnameKeys } from '../../src/core/name-forms.js';
import { drawName, isValidCode, pseudonymKey, WeightedPool, type NamePools } from '../../src/core/pseudonym-gen.js';
import { canonicalEmployeeNo, deriveInitials } from '../../src/core/worker-fields.js';
import { systemRandom } from '../../src/crypto/random.js';
import { ExitCode, UsageError } from '../../src/errors.js';
import { loadNamePools } from '../../src/formats/name-lists.js';
import { Pseudonyms, type PseudonymView } from '../../src/vault/pseudonyms.js';
import type { RotateResult } from '../../src/vault/rotation.js';
import { createVault, Vault, VaultFile } from '../../src/vault/vault.js';
import { testShmDir } from '../helpers/tmp.js';

// --- fixtures ---------------------------------------------------------------

const PASSPHRASE = new TextEncoder().encode('zeven zotte zwanen zwemmen');

let dir: string;
const opened: Vault[] = [];
let vaultNo = 0;

beforeEach(() => {
  dir = testShmDir('schuilnaam-pseud-');
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const v of opened.splice(0)) v.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A clock that moves one second per call, so issue times are ordered. */
function tickingClock(start = Date.parse('2025-03-03T09:00:00Z')): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

/** A repeatable pseudo-random generator for choosing test operations (not for the vault). */
function prng(seed: string) {
  let counter = 0;
  let pool: number[] = [];
  const next = () => {
    if (pool.length === 0) {
      const h = createHash('sha256').update(`${seed}:${counter++}`).digest();
      for (let i = 0; i < 32; i += 4) pool.push(h.readUInt32BE(i));
    }
    return pool.pop()! / 0x1_0000_0000;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!,
  };
}

async function newVault(): Promise<{ vault: Vault; file: string }> {
  const file = path.join(dir, `vault-${vaultNo++}.db`);
  const deps = { clock: tickingClock(), random: systemRandom, kdfProfile: 'owasp-floor' as const };
  await createVault(file, PASSPHRASE, 'admin', deps);
  const vault = (await VaultFile.open(file, deps)).unlockWithPassphrase(PASSPHRASE);
  opened.push(vault);
  return { vault, file };
}

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UsageError) {
      expect(e.exitCode).toBe(ExitCode.usage);
      expect(e.exitCode).toBe(2);
      return e;
    }
    throw e;
  }
  throw new Error('expected a UsageError, got none');
}

function addCase(v: Vault, ref: string, team?: string, ...workers: string[]): string {
  v.cases.add(ref, team, 'normal');
  for (const w of workers) v.cases.assign(ref, w);
  return ref;
}

/** Every pseudonym row in the vault, decrypted. */
function allPseudonyms(v: Vault): PseudonymView[] {
  const refs = new Map<string, string>();
  return [...v.ctx.cases.iteratePseudonyms()].map((r) => v.pseudonyms.view(r, refs));
}

function expectPairwiseDistinctKeys(views: readonly PseudonymView[]): void {
  const seen = new Map<string, string>();
  for (const p of views) {
    const k = pseudonymKey(p.pseudonym);
    const before = seen.get(k);
    if (before !== undefined) throw new Error(`pseudonym issued twice: ${before} and ${p.id} are both "${p.pseudonym}" (key ${k})`);
    seen.set(k, p.id);
  }
}

/** The surname part of a formal name form: "E. van der Berg" -> "van der Berg". */
const surnameOfFormal = (formal: string) => formal.slice(formal.indexOf(' ') + 1);

const pools = (firsts: Record<string, number>, surnames: Record<string, number>): NamePools => ({
  firstNames: new WeightedPool(Object.entries(firsts).map(([value, weight]) => ({ value, weight }))),
  surnames: new WeightedPool(Object.entries(surnames).map(([value, weight]) => ({ value, weight }))),
});

// Invented caseworkers.
const TESS = { first_name: 'Tess', last_name: 'Brinkhorst', employee_no: 'E-1001' };
const RUBEN = { first_name: 'Ruben', prefix: 'van', last_name: 'Oudewater', employee_no: 'E-1002' };
const NOOR = { first_name: 'Noor', last_name: 'Kleinjan', employee_no: 'E-1003' };
const OSCAR = { first_name: 'Oscar', prefix: 'ter', last_name: 'Haverkamp', employee_no: 'E-1004' };

// --- stability and scoping ---------------------------------------------------

describe('stability', () => {
  it('the same worker in the same case always gets the same pseudonym; issued is true only the first time', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    addCase(vault, 'JB-2025-001', undefined, w);
    const first = vault.pseudonyms.get('JB-2025-001', w);
    expect(first.issued).toBe(true);
    expect(first.status).toBe('active');
    expect(first.scope).toBe('case');
    expect(first.style).toBe('name');
    expect(first.case).toBe('JB-2025-001');
    expect(first.worker).toBe(w);
    for (let i = 0; i < 5; i++) {
      const again = vault.pseudonyms.get('JB-2025-001', w);
      expect(again.issued).toBe(false);
      expect(again.id).toBe(first.id);
      expect(again.pseudonym).toBe(first.pseudonym);
      expect(again.formal).toBe(first.formal);
    }
    // The reference is found case-insensitively, and the name stays the same.
    expect(vault.pseudonyms.get('jb-2025-001', w).pseudonym).toBe(first.pseudonym);
    // A style or scope asked for later does not change an existing case pseudonym.
    expect(vault.pseudonyms.get('JB-2025-001', w, { style: 'code' }).pseudonym).toBe(first.pseudonym);
    expect(vault.pseudonyms.list({ case: 'JB-2025-001' })).toHaveLength(1);
    expect(vault.audit.entries().filter((e) => e.action === 'pseudonym.issue')).toHaveLength(1);
  });

  it('stays stable across closing and reopening the vault', async () => {
    const { vault, file } = await newVault();
    const w = vault.workers.add(TESS);
    addCase(vault, 'JB-2025-002', undefined, w);
    const first = vault.pseudonyms.get('JB-2025-002', w);
    vault.close();
    opened.splice(opened.indexOf(vault), 1);
    const deps = { clock: tickingClock(), random: systemRandom, kdfProfile: 'owasp-floor' as const };
    const again = (await VaultFile.open(file, deps)).unlockWithPassphrase(PASSPHRASE);
    opened.push(again);
    const second = again.pseudonyms.get('JB-2025-002', w);
    expect(second.issued).toBe(false);
    expect(second.pseudonym).toBe(first.pseudonym);
  });
});

describe('scoping', () => {
  it('case scope (the default): one worker gets a different pseudonym in each case', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    const refs = ['C-1', 'C-2', 'C-3', 'C-4', 'C-5'];
    for (const r of refs) addCase(vault, r, undefined, w);
    const names = refs.map((r) => vault.pseudonyms.get(r, w));
    expect(names.every((n) => n.scope === 'case' && n.issued)).toBe(true);
    expect(new Set(names.map((n) => pseudonymKey(n.pseudonym))).size).toBe(refs.length);
    expect(names.map((n) => n.case)).toEqual(refs);
    expect(vault.pseudonyms.list({ worker: w }).filter((p) => p.status === 'active')).toHaveLength(refs.length);
  });

  it('scope "worker" per call: one pseudonym across all cases, reported for the case asked', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    for (const r of ['C-1', 'C-2', 'C-3']) addCase(vault, r, undefined, w);
    const a = vault.pseudonyms.get('C-1', w, { scope: 'worker' });
    const b = vault.pseudonyms.get('C-2', w, { scope: 'worker' });
    const c = vault.pseudonyms.get('C-3', w, { scope: 'worker' });
    expect(a.issued).toBe(true);
    expect(b.issued).toBe(false);
    expect(c.issued).toBe(false);
    expect(new Set([a.pseudonym, b.pseudonym, c.pseudonym]).size).toBe(1);
    expect(a.case).toBe('C-1');
    expect(a.scope).toBe('worker');
    // A case-scoped pseudonym in the same case is separate from the worker-wide one.
    const own = vault.pseudonyms.get('C-1', w, { scope: 'case' });
    expect(own.issued).toBe(true);
    expect(own.pseudonym).not.toBe(a.pseudonym);
    // Only one pseudonym row was made for the three worker-scope requests.
    expect(vault.pseudonyms.list({ worker: w })).toHaveLength(2);
    // The worker-wide pseudonym is visible in every case of the worker.
    for (const r of ['C-2', 'C-3']) expect(vault.pseudonyms.list({ case: r }).map((p) => p.pseudonym)).toEqual([a.pseudonym]);
  });

  it('a worker-wide pseudonym is reported for the case asked, on the first get and on later ones', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    for (const r of ['C-1', 'C-2']) addCase(vault, r, undefined, w);
    const first = vault.pseudonyms.get('C-1', w, { scope: 'worker' });
    expect(first.case).toBe('C-1');
    expect(vault.pseudonyms.get('C-2', w, { scope: 'worker' }).case).toBe('C-2');
    expect(vault.pseudonyms.get('C-1', w, { scope: 'worker' }).case).toBe('C-1');
  });

  it('a team default scope of "worker" applies to that team\'s cases only', async () => {
    const { vault } = await newVault();
    vault.teams.set('Team Oost', { scope: 'worker' });
    const w = vault.workers.add(TESS);
    for (const r of ['O-1', 'O-2']) addCase(vault, r, 'Team Oost', w);
    for (const r of ['N-1', 'N-2']) addCase(vault, r, 'Team Noord', w);
    const o1 = vault.pseudonyms.get('O-1', w);
    const o2 = vault.pseudonyms.get('O-2', w);
    expect(o1.scope).toBe('worker');
    expect(o2.pseudonym).toBe(o1.pseudonym);
    expect(o2.issued).toBe(false);
    const n1 = vault.pseudonyms.get('N-1', w);
    const n2 = vault.pseudonyms.get('N-2', w);
    expect(n1.scope).toBe('case');
    expect(new Set([o1.pseudonym, n1.pseudonym, n2.pseudonym]).size).toBe(3);
    // The team name is matched case-insensitively.
    addCase(vault, 'O-3', 'team oost', w);
    expect(vault.pseudonyms.get('O-3', w).pseudonym).toBe(o1.pseudonym);
    // A per-call scope overrides the team default.
    expect(vault.pseudonyms.get('O-1', w, { scope: 'case' }).scope).toBe('case');
  });

  it('the vault default scope (teams.setDefaults) applies to cases without a team setting', async () => {
    const { vault } = await newVault();
    vault.teams.setDefaults({ scope: 'worker' });
    vault.teams.set('Team Zuid', { scope: 'case' });
    const w = vault.workers.add(TESS);
    for (const r of ['A-1', 'A-2']) addCase(vault, r, undefined, w);
    addCase(vault, 'B-1', 'Team Elders', w); // a team with no own settings
    for (const r of ['Z-1', 'Z-2']) addCase(vault, r, 'Team Zuid', w);
    const a1 = vault.pseudonyms.get('A-1', w);
    expect(a1.scope).toBe('worker');
    expect(vault.pseudonyms.get('A-2', w).pseudonym).toBe(a1.pseudonym);
    expect(vault.pseudonyms.get('B-1', w).pseudonym).toBe(a1.pseudonym);
    const z1 = vault.pseudonyms.get('Z-1', w);
    const z2 = vault.pseudonyms.get('Z-2', w);
    expect(z1.scope).toBe('case');
    expect(new Set([a1.pseudonym, z1.pseudonym, z2.pseudonym]).size).toBe(3);
  });

  it('code style per team (prefix, digits) and per call; codes carry a valid check character', async () => {
    const { vault } = await newVault();
    vault.teams.set('Team Code', { style: 'code', code_prefix: 'KB', code_digits: 5 });
    const w = vault.workers.add(TESS);
    const x = vault.workers.add(NOOR);
    for (const r of ['K-1', 'K-2', 'K-3']) addCase(vault, r, 'Team Code', w, x);
    addCase(vault, 'N-1', undefined, w);
    for (const r of ['K-1', 'K-2', 'K-3']) {
      const p = vault.pseudonyms.get(r, w);
      expect(p.style).toBe('code');
      expect(p.pseudonym).toMatch(/^KB-\d{5}-[0-9A-Z]$/u);
      expect(p.formal).toBe(p.pseudonym);
      expect(isValidCode(p.pseudonym)).toBe(true);
    }
    // Per-call override: a name in a code team, a code in a name team.
    const named = vault.pseudonyms.get('K-1', x, { style: 'name' });
    expect(named.style).toBe('name');
    expect(named.pseudonym).not.toMatch(/\d/u);
    const coded = vault.pseudonyms.get('N-1', w, { style: 'code' });
    expect(coded.pseudonym).toMatch(/^JB-\d{4}-[0-9A-Z]$/u); // vault default prefix and digits
    expect(isValidCode(coded.pseudonym)).toBe(true);
    // Codes are found with or without dashes, in any case.
    expect(vault.pseudonyms.resolve(coded.pseudonym.replace(/-/gu, '').toLowerCase(), 'check').id).toBe(coded.id);
  });
});

// --- rotation ------------------------------------------------------------------

describe('rotation', () => {
  async function setup() {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    const x = vault.workers.add(RUBEN);
    const y = vault.workers.add(NOOR);
    const z = vault.workers.add(OSCAR);
    addCase(vault, 'A', undefined, w, x, y);
    addCase(vault, 'B', undefined, w, y);
    addCase(vault, 'C', undefined, w, z);
    const name = (ref: string, id: string, scope?: 'worker') => vault.pseudonyms.get(ref, id, scope ? { scope } : {}).pseudonym;
    const before = {
      wA: name('A', w),
      wB: name('B', w),
      wC: name('C', w),
      wWide: name('A', w, 'worker'),
      xA: name('A', x),
      yWide: name('A', y, 'worker'),
      yB: name('B', y),
      zC: name('C', z),
    };
    const now = () => ({
      wA: name('A', w),
      wB: name('B', w),
      wC: name('C', w),
      wWide: name('A', w, 'worker'),
      xA: name('A', x),
      yWide: name('A', y, 'worker'),
      yB: name('B', y),
      zC: name('C', z),
    });
    return { vault, w, x, y, z, before, now };
  }

  it("rotating one case's pseudonym leaves the worker's other cases untouched", async () => {
    const { vault, w, before, now } = await setup();
    const r = vault.rotation.rotate({ pseudonym: before.wA }, { reason: 'naam gedeeld in een besloten groep', how: 'social media' });
    expect(r.dry_run).toBe(false);
    expect(r.compromise).toMatch(/^X-/u);
    expect(r.rotated).toHaveLength(1);
    expect(r.rotated[0]).toMatchObject({ old: before.wA, worker: w, case: 'A', scope: 'case' });
    expect(r.cases).toEqual(['A']);
    const after = now();
    expect(after.wA).toBe(r.rotated[0]!.new);
    expect(after.wA).not.toBe(before.wA);
    expect({ ...after, wA: before.wA }).toEqual(before);
    // The old one is compromised, points to its replacement, and is findable but not active.
    const old = vault.pseudonyms.list({ worker: w }).find((p) => p.pseudonym === before.wA)!;
    expect(old.status).toBe('compromised');
    expect(old.replaced_by).toBe(after.wA);
    expect(old.ended_at).not.toBeNull();
    const hist = vault.pseudonyms.history(w).find((p) => p.pseudonym === before.wA)!;
    expect(hist.reason).toBe('naam gedeeld in een besloten groep');
    expect(hist.compromise).toBe(r.compromise);
    // A compromised pseudonym cannot be rotated again.
    usageError(() => vault.rotation.rotate({ pseudonym: before.wA }, { reason: 'again' }));
  });

  it('rotate --worker replaces every active pseudonym of that worker and nobody else\'s', async () => {
    const { vault, w, before, now } = await setup();
    const r = vault.rotation.rotate({ worker: w }, { reason: 'echte naam gelekt' });
    expect(r.rotated.map((e) => e.old).sort()).toEqual([before.wA, before.wB, before.wC, before.wWide].sort());
    expect(r.rotated.every((e) => e.worker === w && e.new !== null)).toBe(true);
    expect(r.cases).toEqual(['A', 'B', 'C']);
    const after = now();
    for (const k of ['wA', 'wB', 'wC', 'wWide'] as const) {
      expect(after[k]).not.toBe(before[k]);
      expect(r.rotated.find((e) => e.old === before[k])!.new).toBe(after[k]);
    }
    for (const k of ['xA', 'yWide', 'yB', 'zC'] as const) expect(after[k]).toBe(before[k]);
    expect(vault.pseudonyms.list({ worker: w }).filter((p) => p.status === 'active')).toHaveLength(4);
    expect(vault.pseudonyms.list({ worker: w }).filter((p) => p.status === 'compromised')).toHaveLength(4);
  });

  it("rotate --case replaces that case's case-scoped pseudonyms and the worker-wide ones of its workers only", async () => {
    const { vault, before, now } = await setup();
    const r = vault.rotation.rotate({ case: 'A' }, { reason: 'dossier gelekt' });
    expect(r.rotated.map((e) => e.old).sort()).toEqual([before.wA, before.xA, before.wWide, before.yWide].sort());
    const after = now();
    for (const k of ['wA', 'xA', 'wWide', 'yWide'] as const) expect(after[k]).not.toBe(before[k]);
    // Other cases' case-scoped pseudonyms, also of the same workers, are untouched.
    for (const k of ['wB', 'wC', 'yB', 'zC'] as const) expect(after[k]).toBe(before[k]);
    // Worker-wide pseudonyms are seen in the workers' other cases, so those are affected cases too.
    expect(r.cases).toEqual(['A', 'B', 'C']);
  });

  it('a dry run changes nothing: audit log, lists and later gets are as before', async () => {
    const { vault, w, before, now } = await setup();
    const snapshot = () => ({
      audit: vault.audit.entries().length,
      rows: vault.ctx.cases.countPseudonyms(),
      a: vault.pseudonyms.list({ case: 'A' }),
      b: vault.pseudonyms.list({ case: 'B' }),
      w: vault.pseudonyms.list({ worker: w }),
      history: vault.pseudonyms.history(w),
    });
    const s0 = snapshot();
    const results: RotateResult[] = [
      vault.rotation.rotate({ case: 'A' }, { reason: 'proef', dryRun: true }),
      vault.rotation.rotate({ worker: w }, { reason: 'proef', dryRun: true }),
      vault.rotation.rotate({ pseudonym: before.wB }, { reason: 'proef', dryRun: true }),
    ];
    for (const r of results) {
      expect(r.dry_run).toBe(true);
      expect(r.compromise).toBeNull();
      expect(r.rotated.length).toBeGreaterThan(0);
      expect(r.rotated.every((e) => e.new === null)).toBe(true);
    }
    expect(results[0]!.rotated.map((e) => e.old).sort()).toEqual([before.wA, before.xA, before.wWide, before.yWide].sort());
    expect(snapshot()).toEqual(s0);
    expect(now()).toEqual(before);
    expect(snapshot()).toEqual(s0); // the gets above issued nothing
  });

  it('a reason is required; unknown targets are usage errors; failures write nothing', async () => {
    const { vault, w, before } = await setup();
    const audit = vault.audit.entries().length;
    usageError(() => vault.rotation.rotate({ pseudonym: before.wA }, { reason: '' }));
    usageError(() => vault.rotation.rotate({ pseudonym: before.wA }, { reason: '   ' }));
    usageError(() => vault.rotation.rotate({ pseudonym: 'Nimmer Bestaand' }, { reason: 'x' }));
    usageError(() => vault.rotation.rotate({ case: 'GEEN-ZAAK' }, { reason: 'x' }));
    usageError(() => vault.rotation.rotate({ worker: 'W-zzzzzzzz' }, { reason: 'x' }));
    usageError(() => vault.rotation.rotate({ worker: 'niet-een-id' }, { reason: 'x' }));
    expect(vault.audit.entries().length).toBe(audit);
    expect(vault.pseudonyms.get('A', w).pseudonym).toBe(before.wA);
  });
});

// --- never issued twice --------------------------------------------------------

describe('never issued twice', () => {
  // Under mutation testing (npm run mutate) every mutant of the store runs this
  // test, so it draws a tenth as many names there; npm test draws them all.
  const STRESS = process.env.SCHUILNAAM_MUTATION === '1' ? 1_000 : 10_000;
  it(`${STRESS.toLocaleString('en')} issues and rotations in one vault: every name ever issued is distinct; actives match the model`, async () => {
    const { vault } = await newVault();
    const rnd = prng('stress-1');
    vault.teams.set('Zuid', { style: 'code', code_prefix: 'ZB', code_digits: 4 });
    vault.teams.set('West', { style: 'code', code_prefix: 'WB', code_digits: 3 });
    vault.teams.set('Oost', { scope: 'worker' });
    const people = [
      TESS,
      RUBEN,
      NOOR,
      OSCAR,
      { first_name: 'Lieke', last_name: 'Zandbergen' },
      { first_name: 'Mats', prefix: 'de', last_name: 'Waalkens' },
    ];
    const workers = people.map((p) => vault.workers.add(p));
    const assigned = new Map<string, string[]>();
    const cases: string[] = [];
    for (let i = 0; i < 90; i++) {
      const team = i < 50 ? undefined : i < 70 ? 'Zuid' : i < 75 ? 'West' : 'Oost';
      const ref = `ZAAK-${String(i).padStart(3, '0')}`;
      const ws = [...workers].sort(() => rnd.next() - 0.5).slice(0, 2 + rnd.int(3));
      addCase(vault, ref, team, ...ws);
      assigned.set(ref, ws);
      cases.push(ref);
    }
    // The model: (worker, scope, case) -> current active name.
    const model = new Map<string, string>();
    const keyOf = (worker: string, scope: string, ref: string | null) => `${worker}|${scope}|${scope === 'case' ? ref : ''}`;
    const applyRotation = (r: RotateResult) => {
      for (const e of r.rotated) {
        const k = keyOf(e.worker, e.scope, e.case);
        expect(model.get(k)).toBe(e.old);
        model.set(k, e.new!);
      }
    };
    let issued = 0;
    let ops = 0;
    while (issued < STRESS) {
      ops++;
      const dice = rnd.next();
      if (dice < 0.3 || model.size === 0) {
        const ref = rnd.pick(cases);
        const w = rnd.pick(assigned.get(ref)!);
        const scope = rnd.next() < 0.05 ? 'worker' : undefined;
        const p = vault.pseudonyms.get(ref, w, scope ? { scope } : {});
        const k = keyOf(w, p.scope, ref);
        const known = model.get(k);
        if (known === undefined) {
          expect(p.issued).toBe(true);
          model.set(k, p.pseudonym);
          issued++;
        } else {
          expect(p.issued).toBe(false);
          expect(p.pseudonym).toBe(known);
        }
      } else if (dice < 0.9) {
        const names = [...model.values()];
        const r = vault.rotation.rotate({ pseudonym: rnd.pick(names) }, { reason: 'gelekt' });
        applyRotation(r);
        issued += r.rotated.length;
      } else if (dice < 0.95) {
        const r = vault.rotation.rotate({ worker: rnd.pick(workers) }, { reason: 'identiteit gelekt' });
        applyRotation(r);
        issued += r.rotated.length;
      } else if (dice < 0.995) {
        const r = vault.rotation.rotate({ case: rnd.pick(cases) }, { reason: 'zaak gelekt' });
        applyRotation(r);
        issued += r.rotated.length;
      } else {
        const n = vault.ctx.cases.countPseudonyms();
        const r = vault.rotation.rotate({ case: rnd.pick(cases) }, { reason: 'proef', dryRun: true });
        expect(r.rotated.every((e) => e.new === null && model.get(keyOf(e.worker, e.scope, e.case)) === e.old)).toBe(true);
        expect(vault.ctx.cases.countPseudonyms()).toBe(n);
      }
    }
    // Offboard one worker at the end: their names retire and are never reissued.
    const gone = workers[5]!;
    vault.workers.offboard(gone);
    const all = allPseudonyms(vault);
    expect(all.length).toBe(issued);
    expect(all.length).toBeGreaterThanOrEqual(STRESS);
    expectPairwiseDistinctKeys(all);
    // Names and formal forms are distinct by pseudonymKey too, and codes are well-formed.
    for (const p of all) {
      if (p.style === 'code') expect(isValidCode(p.pseudonym), p.pseudonym).toBe(true);
    }
    const active = all.filter((p) => p.status === 'active');
    const expectedActive = [...model.entries()].filter(([k]) => !k.startsWith(gone + '|'));
    expect(active.length).toBe(expectedActive.length);
    expect(new Set(active.map((p) => p.pseudonym))).toEqual(new Set(expectedActive.map(([, n]) => n)));
    expect(all.filter((p) => p.worker === gone && p.status === 'active')).toEqual([]);
    // Every ended pseudonym that was rotated points at a pseudonym that exists.
    const byName = new Map(all.map((p) => [p.pseudonym, p]));
    for (const p of all.filter((q) => q.status === 'compromised')) {
      expect(p.replaced_by).not.toBeNull();
      expect(byName.get(p.replaced_by!)!.worker).toBe(p.worker);
    }
    // Within one case, no two active pseudonyms (case-scoped, or worker-wide of its workers) share a
    // formal form. Collected here, asserted last, so the other checks run first.
    const formalClashes: string[] = [];
    for (const ref of cases) {
      const seen = new Map<string, PseudonymView>();
      for (const p of vault.pseudonyms.list({ case: ref }).filter((q) => q.status === 'active')) {
        const other = seen.get(foldName(p.formal));
        if (other) formalClashes.push(`${ref}: "${other.pseudonym}" (${other.scope}) and "${p.pseudonym}" (${p.scope}) are both "${p.formal}"`);
        seen.set(foldName(p.formal), p);
      }
    }
    // Stability after all that: every model entry is still what get returns.
    for (const ref of cases) {
      for (const w of assigned.get(ref)!) {
        if (w === gone) continue;
        const k = keyOf(w, 'case', ref);
        if (model.has(k)) expect(vault.pseudonyms.get(ref, w, { scope: 'case' }).pseudonym).toBe(model.get(k));
      }
    }
    expect(vault.audit.verify().ok).toBe(true);
    expect(ops).toBeGreaterThan(0);
    expect(formalClashes).toEqual([]);
  }, 60_000);

  it('random sequences of issue / rotate / offboard never reissue a name and keep one active per scope (property)', async () => {
    type Op =
      | { t: 'get'; c: number; w: number; wide: boolean }
      | { t: 'rotP'; i: number }
      | { t: 'rotW'; w: number }
      | { t: 'rotC'; c: number }
      | { t: 'off'; w: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ t: fc.constant('get' as const), c: fc.nat(5), w: fc.nat(3), wide: fc.boolean() }) },
      { weight: 4, arbitrary: fc.record({ t: fc.constant('rotP' as const), i: fc.nat(1000) }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('rotW' as const), w: fc.nat(3) }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('rotC' as const), c: fc.nat(5) }) },
      { weight: 1, arbitrary: fc.record({ t: fc.constant('off' as const), w: fc.nat(3) }) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 20, maxLength: 120 }), fc.boolean(), async (ops, codes) => {
        const { vault } = await newVault();
        try {
          if (codes) vault.teams.setDefaults({ style: 'code', code_prefix: 'PB', code_digits: 3 });
          const ws = [TESS, RUBEN, NOOR, OSCAR].map((p) => vault.workers.add(p));
          const refs = [0, 1, 2, 3, 4, 5].map((i) => addCase(vault, `P-${i}`, undefined, ...ws));
          const off = new Set<string>();
          for (const op of ops) {
            const actives = () => allPseudonyms(vault).filter((p) => p.status === 'active');
            if (op.t === 'get') {
              const w = ws[op.w]!;
              if (off.has(w)) usageError(() => vault.pseudonyms.get(refs[op.c]!, w));
              else vault.pseudonyms.get(refs[op.c]!, w, op.wide ? { scope: 'worker' } : {});
            } else if (op.t === 'rotP') {
              const a = actives();
              if (a.length > 0) vault.rotation.rotate({ pseudonym: a[op.i % a.length]!.pseudonym }, { reason: 'r' });
            } else if (op.t === 'rotW') {
              vault.rotation.rotate({ worker: ws[op.w]! }, { reason: 'r' });
            } else if (op.t === 'rotC') {
              vault.rotation.rotate({ case: refs[op.c]! }, { reason: 'r' });
            } else if (!off.has(ws[op.w]!)) {
              vault.workers.offboard(ws[op.w]!);
              off.add(ws[op.w]!);
            }
          }
          const all = allPseudonyms(vault);
          expectPairwiseDistinctKeys(all);
          const active = all.filter((p) => p.status === 'active');
          // One active pseudonym per (worker, scope, case); none for offboarded workers.
          const slots = active.map((p) => `${p.worker}|${p.scope}|${p.scope === 'case' ? p.case : ''}`);
          expect(new Set(slots).size).toBe(slots.length);
          expect(active.filter((p) => off.has(p.worker))).toEqual([]);
          for (const p of all.filter((q) => off.has(q.worker))) expect(p.status).not.toBe('active');
        } finally {
          vault.close();
          opened.splice(opened.indexOf(vault), 1);
        }
      }),
      { numRuns: 12 },
    );
  }, 60_000);

  it('with a pool of two names, once both are retired no third pseudonym can be issued (exit 2, not a reissue)', async () => {
    const { vault } = await newVault();
    const small = pools({ Fleur: 1, Jasper: 1 }, { Ravensbergen: 1 });
    const ps = new Pseudonyms(vault.ctx, vault.audit, vault.cases, vault.teams, () => small);
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    addCase(vault, 'B', undefined, w);
    addCase(vault, 'C', undefined, w);
    const a = ps.get('A', w);
    const b = ps.get('B', w);
    expect(new Set([a.pseudonym, b.pseudonym])).toEqual(new Set(['Fleur Ravensbergen', 'Jasper Ravensbergen']));
    vault.ctx.store.transaction(() => ps.retireAllOf(w, 'test'));
    const e = (() => {
      try {
        ps.get('C', w);
      } catch (err) {
        return err as Error & { exitCode?: number };
      }
      return undefined;
    })();
    expect(e, 'a third pseudonym was issued from a pool of two retired names').toBeDefined();
    expect(e!.exitCode).toBe(2);
    expect(e!.message).toMatch(/no free name pseudonym/u);
  });
});

// --- collisions -----------------------------------------------------------------

describe('collisions', () => {
  it('two active pseudonyms never share a name, and a case never shows two equal formal forms (real pools)', async () => {
    const { vault } = await newVault();
    const ws = Array.from({ length: 60 }, (_, i) => vault.workers.add({ first_name: 'Medewerker', last_name: `Qwxzyk${'abcdefghij'[i % 10]}${'klmnopqrst'[Math.floor(i / 10)]}` }));
    addCase(vault, 'GROOT', undefined, ...ws);
    const got = ws.map((w) => vault.pseudonyms.get('GROOT', w));
    expect(new Set(got.map((p) => pseudonymKey(p.pseudonym))).size).toBe(60);
    expect(new Set(got.map((p) => foldName(p.formal))).size).toBe(60);
  });

  it('within one case a case-scoped pseudonym never repeats the formal form of another case-scoped one', async () => {
    const { vault } = await newVault();
    let current = pools({ Eva: 1 }, { Zwartveld: 1 });
    const ps = new Pseudonyms(vault.ctx, vault.audit, vault.cases, vault.teams, () => current);
    const w = vault.workers.add(TESS);
    const x = vault.workers.add(NOOR);
    addCase(vault, 'A', undefined, w, x);
    expect(ps.get('A', w).formal).toBe('E. Zwartveld');
    current = pools({ Emma: 10, Bram: 1 }, { Zwartveld: 1 });
    // "Emma Zwartveld" would also be "E. Zwartveld" to this family.
    expect(ps.get('A', x).pseudonym).toBe('Bram Zwartveld');
  });

  it("within one case a worker-wide pseudonym never shares a formal form with a case-scoped one (either order)", async () => {
    // The family of case A sees the worker-wide pseudonyms of its workers too (list --case shows them).
    // Repeated over several cases: the collision, if allowed, happens with probability 10/11 each time.
    const { vault } = await newVault();
    let current: NamePools = pools({ Eva: 1 }, { Zwartveld: 1 });
    const ps = new Pseudonyms(vault.ctx, vault.audit, vault.cases, vault.teams, () => current);
    const collisions: string[] = [];
    for (let i = 0; i < 5; i++) {
      const surname = `Zwartveld${'abcde'[i]}`;
      const w = vault.workers.add({ first_name: 'Anna', last_name: `Qwerty${'abcde'[i]}` });
      const x = vault.workers.add({ first_name: 'Bert', last_name: `Asdfgh${'abcde'[i]}` });
      const ref = addCase(vault, `W-${i}`, undefined, w, x);
      // Worker-wide first, then case-scoped.
      current = pools({ Eva: 1 }, { [surname]: 1 });
      ps.get(ref, w, { scope: 'worker' });
      current = pools({ Emma: 10, Bram: 1 }, { [surname]: 1 });
      ps.get(ref, x);
      const formals = ps.list({ case: ref }).filter((p) => p.status === 'active').map((p) => p.formal);
      if (new Set(formals).size !== formals.length) collisions.push(`${ref} (worker-wide first): ${formals.join(', ')}`);
    }
    for (let i = 0; i < 5; i++) {
      const surname = `Zwartbeek${'abcde'[i]}`;
      const w = vault.workers.add({ first_name: 'Anna', last_name: `Zxcvbn${'abcde'[i]}` });
      const x = vault.workers.add({ first_name: 'Bert', last_name: `Poiuyt${'abcde'[i]}` });
      const ref = addCase(vault, `V-${i}`, undefined, w, x);
      // Case-scoped first, then worker-wide.
      current = pools({ Eva: 1 }, { [surname]: 1 });
      ps.get(ref, w);
      current = pools({ Emma: 10, Bram: 1 }, { [surname]: 1 });
      ps.get(ref, x, { scope: 'worker' });
      const formals = ps.list({ case: ref }).filter((p) => p.status === 'active').map((p) => p.formal);
      if (new Set(formals).size !== formals.length) collisions.push(`${ref} (case-scoped first): ${formals.join(', ')}`);
    }
    expect(collisions).toEqual([]);
  });
});

// --- resemblance to real workers ---------------------------------------------------

/** The 40 highest-weight lines of surnames.tsv (stable order for ties). */
function topSurnames(n: number): string[] {
  const rows = fs
    .readFileSync(new URL('../../data/names/surnames.tsv', import.meta.url), 'utf8')
    .split(/\r?\n/u)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l, i) => ({ name: l.split('\t')[0]!, weight: Number(l.split('\t')[1]), i }));
  return rows
    .sort((a, b) => b.weight - a.weight || a.i - b.i)
    .slice(0, n)
    .map((r) => r.name);
}

/** "van der Berg" -> { prefix: "van der", last_name: "Berg" }. */
function splitPrefix(surname: string): { prefix: string; last_name: string } {
  const words = surname.split(' ');
  let i = 0;
  while (i < words.length - 1 && words[i] === words[i]!.toLowerCase()) i++;
  return { prefix: words.slice(0, i).join(' '), last_name: words.slice(i).join(' ') };
}

describe('resemblance to real workers', () => {
  const COMMON = ['de Jong', 'Jansen', 'de Vries', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'de Groot'];
  const VARIANTS = ['Janssen', 'Smits', 'Smidt', 'Meyer', 'Mulders', 'Vissers', 'Backer', 'de Bruyn', 'Kuypers', 'Bosch', 'Dijkstra', 'Hendrikx', 'Hofmann', 'Jakobs'];
  const FIRSTS = ['Femke', 'Joris', 'Anouk', 'Sjoerd', 'Maartje', 'IJsbrand', 'Anne-Fleur', 'Wouter', 'Ilse', 'Thijs'];

  it('~3,000 name pseudonyms: none has a real worker\'s surname (by resemblance key), full name or initials + surname', async () => {
    const { vault } = await newVault();
    const surnames = [...new Set([...topSurnames(40), ...COMMON, ...VARIANTS])];
    const real = surnames.map((s, i) => ({ first_name: FIRSTS[i % FIRSTS.length]!, ...splitPrefix(s), employee_no: `R-${i}` }));
    // Spelling variants in how they were entered: upper case, prefix in the last name, diacritics.
    real.push({ first_name: 'Daan', prefix: '', last_name: 'DE WIT', employee_no: 'R-900' });
    real.push({ first_name: 'Sem', prefix: '', last_name: 'van den Berg', employee_no: 'R-901' });
    real.push({ first_name: 'Zoë', prefix: '', last_name: 'Özdemir', employee_no: 'R-902' });
    const ids = vault.workers.import(real.map((input, i) => ({ line: i + 2, input })));
    expect(ids).toHaveLength(real.length);
    const realKeys = new Set(real.flatMap((r) => surnameKeys(r.prefix, r.last_name)));
    const realFull = new Set(
      real.flatMap((r) => {
        const sur = [r.prefix, r.last_name].filter(Boolean).join(' ');
        return [foldName(`${r.first_name} ${sur}`), foldName(`${deriveInitials(r.first_name)} ${sur}`), foldName(`${r.first_name} ${r.last_name}`), foldName(`${deriveInitials(r.first_name)} ${r.last_name}`)];
      }),
    );

    // The check has teeth: without the guards, plain draws would often hit these surnames.
    const bundled = loadNamePools();
    let wouldHit = 0;
    for (let i = 0; i < 3000; i++) if (drawName(bundled, systemRandom).surnameKeys.some((k) => realKeys.has(k))) wouldHit++;
    expect(wouldHit).toBeGreaterThan(300);

    const perCase = Math.ceil(3000 / ids.length);
    const cases = Array.from({ length: perCase }, (_, i) => addCase(vault, `R-${i}`, undefined, ...ids));
    const issued: (PseudonymView & { issued: boolean })[] = [];
    for (const ref of cases) for (const w of ids) issued.push(vault.pseudonyms.get(ref, w));
    expect(issued.length).toBeGreaterThanOrEqual(3000);
    expect(issued.every((p) => p.issued && p.style === 'name')).toBe(true);
    const offending: string[] = [];
    for (const p of issued) {
      const keys = surnameKeys('', surnameOfFormal(p.formal));
      if (keys.some((k) => realKeys.has(k))) offending.push(`${p.pseudonym} (surname key ${keys.join('/')})`);
      if (realFull.has(foldName(p.pseudonym)) || realFull.has(foldName(p.formal))) offending.push(`${p.pseudonym} equals a real name`);
    }
    expect(offending).toEqual([]);
    expectPairwiseDistinctKeys(issued);
  }, 60_000);

  it('a real worker added later whose surname matches an active pseudonym\'s surname produces a notice', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    const p = vault.pseudonyms.get('A', w);
    const surname = surnameOfFormal(p.formal);
    expect(vault.notices.filter((n) => n.includes(`"${p.pseudonym}"`))).toEqual([]);
    vault.workers.add({ first_name: 'Jelle', ...splitPrefix(surname), employee_no: 'L-1' });
    const notices = vault.notices.filter((n) => n.includes(`"${p.pseudonym}"`));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/rotate/u);
    // The notice names the pseudonym to rotate, never the new worker.
    expect(notices[0]).not.toContain('Jelle');
  });

  it('a later worker whose surname is a spelling variant of an active pseudonym\'s produces a notice', async () => {
    const { vault } = await newVault();
    const ps = new Pseudonyms(vault.ctx, vault.audit, vault.cases, vault.teams, () => pools({ Eva: 1 }, { Janssen: 1 }));
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    const p = ps.get('A', w);
    expect(p.pseudonym).toBe('Eva Janssen');
    vault.workers.add({ first_name: 'Jelle', last_name: 'Jansen', employee_no: 'L-2' });
    expect(vault.notices.filter((n) => n.includes(`"${p.pseudonym}"`))).toHaveLength(1);
  });

  it('a later worker resembling any part of a multi-word pseudonym surname produces a notice ("Ver Eecke" / "Vereecke")', async () => {
    const { vault } = await newVault();
    const ps = new Pseudonyms(vault.ctx, vault.audit, vault.cases, vault.teams, () => pools({ Mila: 1 }, { 'Ver Eecke': 1 }));
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    const p = ps.get('A', w);
    expect(p.pseudonym).toBe('Mila Ver Eecke');
    // The pseudonym would not have been issued with this worker present (its surname key "vereke" is guarded) ...
    vault.workers.add({ first_name: 'Jelle', last_name: 'Vereecke', employee_no: 'L-3' });
    // ... so a worker arriving later must be flagged as well.
    expect(vault.notices.filter((n) => n.includes(`"${p.pseudonym}"`))).toHaveLength(1);
  });

  it('an issued pseudonym never has the surname of a real worker present at the time (small pool, forced)', async () => {
    const { vault } = await newVault();
    vault.workers.add({ first_name: 'Jelle', last_name: 'Smits' });
    vault.workers.add({ first_name: 'Kim', prefix: 'de', last_name: 'Bruijn' });
    const ps = new Pseudonyms(vault.ctx, vault.audit, vault.cases, vault.teams, () => pools({ Eva: 1 }, { Smit: 10, 'de Bruyn': 10, Zandvoort: 1 }));
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    expect(ps.get('A', w).pseudonym).toBe('Eva Zandvoort');
  });

  it('a real double surname ("Jansen-Smit") guards each of its parts', async () => {
    const { vault } = await newVault();
    vault.workers.add({ first_name: 'Jelle', last_name: 'Jansen-Smit' });
    const ps = new Pseudonyms(vault.ctx, vault.audit, vault.cases, vault.teams, () => pools({ Eva: 1 }, { Janssen: 10, Smits: 10, Zandvoort: 1 }));
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    addCase(vault, 'B', undefined, w);
    expect(ps.get('A', w).pseudonym).toBe('Eva Zandvoort');
    // Nothing else is free: the only remaining names resemble the real worker.
    usageErrorOrExit2(() => ps.get('B', w));
  });

  it('a worker whose surname is changed to an active pseudonym\'s surname produces a notice', async () => {
    const { vault } = await newVault();
    const ps = new Pseudonyms(vault.ctx, vault.audit, vault.cases, vault.teams, () => pools({ Eva: 1 }, { Zandvoort: 1 }));
    const w = vault.workers.add(TESS);
    const x = vault.workers.add(NOOR);
    addCase(vault, 'A', undefined, w);
    const p = ps.get('A', w);
    expect(vault.notices.filter((n) => n.includes(`"${p.pseudonym}"`))).toEqual([]);
    vault.workers.update(x, { last_name: 'Zandvoort' });
    expect(vault.notices.filter((n) => n.includes(`"${p.pseudonym}"`))).toHaveLength(1);
  });
});

/** "No free pseudonym" is a SchuilnaamError with exit code 2. */
function usageErrorOrExit2(fn: () => unknown): void {
  let caught: (Error & { exitCode?: number }) | undefined;
  try {
    fn();
  } catch (e) {
    caught = e as Error & { exitCode?: number };
  }
  expect(caught, 'expected an error, got none').toBeDefined();
  expect(caught!.exitCode).toBe(2);
}

// --- code style and personnel numbers ----------------------------------------------

describe('codes and personnel numbers', () => {
  it('a code is never a real worker\'s personnel number: with every 3-digit Q code taken by one, codes widen to 4 digits', async () => {
    const { vault } = await newVault();
    // 1,000 invented workers whose personnel numbers are exactly the 1,000 possible "Q-ddd" codes,
    // written with and without their check character, dashes or spaces.
    const rows = Array.from({ length: 1000 }, (_, n) => {
      const d = String(n).padStart(3, '0');
      const employee_no = n % 3 === 0 ? `Q-${d}-${luhnModN('Q' + d)}` : n % 3 === 1 ? `Q ${d}` : `q${d}`;
      return { line: n + 2, input: { first_name: 'Medewerker', last_name: 'Qwxzyk', employee_no } };
    });
    const employeeNos = new Set(rows.map((r) => canonicalEmployeeNo(r.input.employee_no)));
    vault.workers.import(rows);
    vault.teams.set('Team Q', { style: 'code', code_prefix: 'Q', code_digits: 3 });
    const w = vault.workers.add(TESS);
    const refs = Array.from({ length: 15 }, (_, i) => addCase(vault, `Q-ZAAK-${i}`, 'Team Q', w));
    for (const ref of refs) {
      const p = vault.pseudonyms.get(ref, w);
      expect(p.pseudonym).toMatch(/^Q-\d{4}-[0-9A-Z]$/u);
      expect(isValidCode(p.pseudonym)).toBe(true);
      const canon = canonicalEmployeeNo(p.pseudonym);
      expect(employeeNos.has(canon)).toBe(false);
      expect(employeeNos.has(canon.slice(0, -1))).toBe(false);
    }
  }, 60_000);

  it('codes never equal any worker\'s canonical personnel number (two thirds of the 3-digit JB codes taken)', async () => {
    const { vault } = await newVault();
    const rows = [];
    for (let n = 0; n < 1000; n++) {
      const d = String(n).padStart(3, '0');
      if (n % 3 === 0) rows.push({ line: n + 2, input: { first_name: 'Medewerker', last_name: 'Qwxzyk', employee_no: `JB ${d}` } });
      if (n % 3 === 1) rows.push({ line: n + 2, input: { first_name: 'Medewerker', last_name: 'Qwxzyk', employee_no: `jb-${d}-${luhnModN('JB' + d)}` } });
    }
    vault.workers.import(rows);
    const employeeNos = new Set(rows.map((r) => canonicalEmployeeNo(r.input.employee_no)));
    vault.teams.setDefaults({ style: 'code', code_digits: 3 });
    const w = vault.workers.add(TESS);
    for (let i = 0; i < 100; i++) {
      const p = vault.pseudonyms.get(addCase(vault, `Z-${i}`, undefined, w), w);
      expect(p.pseudonym).toMatch(/^JB-\d{3,4}-[0-9A-Z]$/u);
      const canon = canonicalEmployeeNo(p.pseudonym);
      expect(employeeNos.has(canon)).toBe(false);
      expect(employeeNos.has(canon.slice(0, -1))).toBe(false);
      if (p.pseudonym.length === 'JB-000-0'.length) expect(Number(p.pseudonym.slice(3, 6)) % 3).toBe(2);
    }
  }, 60_000);
});

// --- offboarding, resolve, errors ----------------------------------------------------

describe('offboarding', () => {
  it('retires the worker\'s active pseudonyms, never reissues them, and get then fails with a usage error', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    const x = vault.workers.add(NOOR);
    for (const r of ['A', 'B']) addCase(vault, r, undefined, w, x);
    const a = vault.pseudonyms.get('A', w);
    const b = vault.pseudonyms.get('B', w);
    const wide = vault.pseudonyms.get('A', w, { scope: 'worker' });
    const rotated = vault.rotation.rotate({ pseudonym: b.pseudonym }, { reason: 'gelekt' }).rotated[0]!.new!;
    const xa = vault.pseudonyms.get('A', x);
    vault.workers.offboard(w);
    const mine = vault.pseudonyms.list({ worker: w });
    const status = Object.fromEntries(mine.map((p) => [p.pseudonym, p.status]));
    expect(status).toEqual({ [a.pseudonym]: 'retired', [b.pseudonym]: 'compromised', [wide.pseudonym]: 'retired', [rotated]: 'retired' });
    expect(vault.pseudonyms.history(w).find((p) => p.pseudonym === a.pseudonym)!.reason).toBe('worker offboarded');
    for (const r of ['A', 'B']) usageError(() => vault.pseudonyms.get(r, w));
    usageError(() => vault.pseudonyms.get('A', w, { scope: 'worker' }));
    // The colleague is untouched.
    expect(vault.pseudonyms.get('A', x).pseudonym).toBe(xa.pseudonym);
    // A retired pseudonym cannot be rotated; it can still be resolved for the record.
    usageError(() => vault.rotation.rotate({ pseudonym: a.pseudonym }, { reason: 'x' }));
    expect(vault.pseudonyms.resolve(a.pseudonym, 'nazoek').worker).toBe(w);
    // Many more issues afterwards never bring the retired names back.
    const more = vault.workers.add(OSCAR);
    for (let i = 0; i < 200; i++) vault.pseudonyms.get(addCase(vault, `M-${i}`, undefined, more), more);
    expectPairwiseDistinctKeys(allPseudonyms(vault));
  });
});

describe('resolve', () => {
  it('requires a non-empty reason and writes an audit entry whose reason decrypts', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    const p = vault.pseudonyms.get('A', w);
    const before = vault.audit.entries().length;
    usageError(() => vault.pseudonyms.resolve(p.pseudonym, ''));
    usageError(() => vault.pseudonyms.resolve(p.pseudonym, '  \t '));
    expect(vault.audit.entries().length).toBe(before);
    const r = vault.pseudonyms.resolve(p.pseudonym.toUpperCase(), '  verzoek van de rechtbank, zaaknummer 12  ');
    expect(r.worker).toBe(w);
    expect(r.id).toBe(p.id);
    const entries = vault.audit.entries();
    expect(entries.length).toBe(before + 1);
    const last = entries.at(-1)!;
    expect(last.action).toBe('pseudonym.resolve');
    expect(last.subject).toBe(p.id);
    expect(last.details).toEqual({ worker: w });
    expect(last.reason).toBe('verzoek van de rechtbank, zaaknummer 12');
    // The reason is stored sealed, not as plain text in the row.
    const raw = [...vault.ctx.cases.iterateAudit()].at(-1)!;
    expect(raw.details).not.toContain('rechtbank');
    expect(Buffer.from(raw.sealed!).toString('latin1')).not.toContain('rechtbank');
    // No audit entry holds the real name or the pseudonym in plain text.
    for (const row of vault.ctx.cases.iterateAudit()) {
      expect(row.details).not.toContain('Brinkhorst');
      expect(row.details).not.toContain(p.pseudonym);
    }
    expect(vault.audit.verify().ok).toBe(true);
    usageError(() => vault.pseudonyms.resolve('Nimmer Bestaand', 'reden'));
  });
});

describe('usage errors (exit code 2)', () => {
  it('unknown case, unknown or malformed worker, worker not assigned, invalid scope or style', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    const x = vault.workers.add(NOOR);
    addCase(vault, 'A', undefined, w);
    const rows = vault.ctx.cases.countPseudonyms();
    const audit = vault.audit.entries().length;
    expect(usageError(() => vault.pseudonyms.get('GEEN-ZAAK', w)).message).toMatch(/no case/u);
    expect(usageError(() => vault.pseudonyms.get('A', 'W-zzzzzzzz')).message).toMatch(/no worker/u);
    usageError(() => vault.pseudonyms.get('A', 'Tess Brinkhorst'));
    usageError(() => vault.pseudonyms.get('A', ''));
    expect(usageError(() => vault.pseudonyms.get('A', x)).message).toMatch(/not assigned/u);
    usageError(() => vault.pseudonyms.get('A', w, { scope: 'team' }));
    usageError(() => vault.pseudonyms.get('A', w, { style: 'nickname' }));
    usageError(() => vault.pseudonyms.list({}));
    usageError(() => vault.pseudonyms.list({ case: 'GEEN-ZAAK' }));
    usageError(() => vault.pseudonyms.list({ worker: 'W-zzzzzzzz' }));
    usageError(() => vault.pseudonyms.history('W-zzzzzzzz'));
    expect(vault.ctx.cases.countPseudonyms()).toBe(rows);
    expect(vault.audit.entries().length).toBe(audit);
  });
});

// --- scale: index lookups, not scans ----------------------------------------------------

describe('scale', () => {
  it('the uniqueness, active-pseudonym and guard lookups use an index, not a scan of earlier pseudonyms', async () => {
    const { vault, file } = await newVault();
    vault.teams.set('Team Code', { style: 'code' });
    const ws = [TESS, RUBEN, NOOR].map((p) => vault.workers.add(p));
    for (let i = 0; i < 30; i++) addCase(vault, `S-${i}`, i % 2 ? 'Team Code' : undefined, ...ws);
    for (let i = 0; i < 20; i++) for (const w of ws) vault.pseudonyms.get(`S-${i}`, w);

    // Record which SQL each lookup runs, by wrapping the store and the case store.
    const captured: { label: string; sql: string; params: unknown[] }[] = [];
    let label = 'other';
    const store = vault.ctx.store;
    const origGet = store.get.bind(store);
    const origAll = store.all.bind(store);
    vi.spyOn(store, 'get').mockImplementation(((sql: string, ...params: unknown[]) => {
      captured.push({ label, sql, params });
      return origGet(sql, ...params);
    }) as typeof store.get);
    vi.spyOn(store, 'all').mockImplementation(((sql: string, ...params: unknown[]) => {
      captured.push({ label, sql, params });
      return origAll(sql, ...params);
    }) as typeof store.all);
    const wrap = <T extends object>(obj: T, method: keyof T & string) => {
      const orig = (obj[method] as (...a: unknown[]) => unknown).bind(obj);
      vi.spyOn(obj, method as never).mockImplementation(((...a: unknown[]) => {
        const outer = label;
        label = method;
        try {
          return orig(...a);
        } finally {
          label = outer;
        }
      }) as never);
    };
    wrap(vault.ctx.cases, 'nameTaken');
    wrap(vault.ctx.cases, 'activePseudonym');
    wrap(store, 'anyGuard');

    // Issue name- and code-style pseudonyms (first use), get existing ones, and rotate.
    for (let i = 20; i < 30; i++) for (const w of ws) vault.pseudonyms.get(`S-${i}`, w);
    vault.pseudonyms.get('S-0', ws[0]!);
    vault.pseudonyms.get('S-0', ws[0]!, { scope: 'worker' });
    vault.rotation.rotate({ case: 'S-1' }, { reason: 'schaal' });
    vi.restoreAllMocks();

    for (const l of ['nameTaken', 'activePseudonym', 'anyGuard']) expect(captured.some((c) => c.label === l), l).toBe(true);

    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      const plans = new Map<string, string[]>();
      for (const c of captured) {
        if (!/\b(pseudonyms|name_guards)\b/u.test(c.sql)) continue;
        const key = `${c.label}: ${c.sql}`;
        if (plans.has(key)) continue;
        const rows = db.prepare(`EXPLAIN QUERY PLAN ${c.sql}`).all(...(c.params as never[])) as { detail: string }[];
        plans.set(key, rows.map((r) => r.detail));
      }
      const problems: string[] = [];
      for (const [key, details] of plans) {
        // "SCAN t" and "SCAN t USING [COVERING] INDEX i" both read every row (or index entry) of the table.
        const scans = details.filter((d) => /^SCAN (pseudonyms|name_guards)\b/u.test(d));
        if (scans.length > 0) problems.push(`${key} -> ${details.join(' | ')}`);
        const isLookup = /^(nameTaken|activePseudonym|anyGuard):/u.test(key);
        if (isLookup && !details.some((d) => /^SEARCH (pseudonyms|name_guards) USING (COVERING )?(INDEX|PRIMARY KEY|INTEGER PRIMARY KEY)/u.test(d))) {
          problems.push(`${key} does not search an index -> ${details.join(' | ')}`);
        }
      }
      expect(problems).toEqual([]);
      // The three named lookups were all planned.
      for (const l of ['nameTaken', 'activePseudonym', 'anyGuard']) expect([...plans.keys()].some((k) => k.startsWith(l + ':')), l).toBe(true);
    } finally {
      db.close();
    }
  });
});

describe('lookups by name: typos, misses and stability', () => {
  it('a code with a wrong check character is refused as a typo, not looked up', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    const code = vault.pseudonyms.get('A', w, { style: 'code' }).pseudonym;
    const digit = code[3] === '9' ? '0' : String(Number(code[3]) + 1);
    const typo = code.slice(0, 3) + digit + code.slice(4);
    expect(usageError(() => vault.pseudonyms.resolve(typo, 'check')).message).toMatch(/check character/u);
    expect(vault.pseudonyms.resolve(code, 'check').worker).toBe(w);
    vault.close();
  });

  it('a resolve that finds nothing is audited with its reason', async () => {
    const { vault } = await newVault();
    const before = vault.audit.entries().length;
    usageError(() => vault.pseudonyms.resolve('Niemand Bestaat', 'verzoek politie'));
    const entries = vault.audit.entries();
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)).toMatchObject({ action: 'pseudonym.resolve-miss', reason: 'verzoek politie' });
    vault.close();
  });

  it('without --scope, a case keeps the name it has after the team default changes to worker-wide', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    const first = vault.pseudonyms.get('A', w).pseudonym;
    vault.teams.setDefaults({ scope: 'worker' });
    expect(vault.pseudonyms.get('A', w).pseudonym).toBe(first);
    vault.close();
  });

  it('rotate refuses an unreadable --leaked-at', async () => {
    const { vault } = await newVault();
    const w = vault.workers.add(TESS);
    addCase(vault, 'A', undefined, w);
    const p = vault.pseudonyms.get('A', w).pseudonym;
    expect(usageError(() => vault.rotation.rotate({ pseudonym: p }, { reason: 'x', leakedAt: 'gisteren' })).message).toMatch(/leaked-at/u);
    vault.close();
  });
});
