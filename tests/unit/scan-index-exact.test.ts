// The leak-scan index (src/vault/scan-index.ts) row by row, on a real vault
// in-process: exactly which rows one worker gets (each spelling of the name,
// the e-mail, phone and personnel number, hashed with the scan key and owned
// by a keyed hash of the id), what a retired pseudonym adds, what offboarding
// keeps and --forget removes, what a scan loads from them, who may learn the
// worker behind a row, and the rebuild when the name forms grow. Invented
// people only.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blindIndex, deriveSubkey } from '../../src/crypto/blind-index.js';
import { LEAK_FORMS_VERSION, pseudonymForms } from '../../src/core/leak-forms.js';
import type { LeakIndex } from '../../src/core/leak-match.js';
import { openField } from '../../src/vault/sealing.js';
import { VaultContext } from '../../src/vault/context.js';
import { ROLE_COMPARTMENTS } from '../../src/vault/roles.js';
import { ScanIndex } from '../../src/vault/scan-index.js';
import { Scanner, type Finding } from '../../src/vault/scanner.js';
import type { Vault } from '../../src/vault/vault.js';
import { makeBench, type Bench } from '../helpers/inproc.js';

const WIETSKE = {
  first_name: 'Wietske',
  prefix: 'van der',
  last_name: 'Zwaluwenburg',
  email: 'W.vanderZwaluwenburg@Voorbeeld.nl',
  phone: '06-31415926',
  employee_no: 'P40417',
  team: 'Team Noord',
};
const HIDDE = { first_name: 'Hidde', last_name: 'Kloosterboer', team: 'Team Noord' };

/** Every form of Wietske's identity: kind, confidence, surname first, tokens. */
const WIETSKE_FORMS = [
  ['full-name', 'high', 0, 'wietske van der zwaluwenburg'],
  ['full-name', 'high', 0, 'wietske v d zwaluwenburg'],
  ['full-name', 'high', 0, 'wietske vd zwaluwenburg'],
  ['full-name', 'high', 0, 'wietske zwaluwenburg'],
  ['full-name', 'high', 0, 'wietskevanderzwaluwenburg'],
  ['full-name', 'high', 0, 'wietskezwaluwenburg'],
  ['full-name', 'high', 1, 'van der zwaluwenburg wietske'],
  ['full-name', 'high', 1, 'v d zwaluwenburg wietske'],
  ['full-name', 'high', 1, 'vd zwaluwenburg wietske'],
  ['full-name', 'high', 1, 'zwaluwenburg wietske'],
  ['full-name', 'high', 1, 'zwaluwenburg wietske van der'],
  ['initials-name', 'high', 0, 'w van der zwaluwenburg'],
  ['initials-name', 'high', 0, 'w v d zwaluwenburg'],
  ['initials-name', 'high', 0, 'w vd zwaluwenburg'],
  ['initials-name', 'high', 0, 'w zwaluwenburg'],
  ['initials-name', 'high', 1, 'van der zwaluwenburg w'],
  ['initials-name', 'high', 1, 'v d zwaluwenburg w'],
  ['initials-name', 'high', 1, 'vd zwaluwenburg w'],
  ['initials-name', 'high', 1, 'zwaluwenburg w'],
  ['initials-name', 'high', 1, 'zwaluwenburg w van der'],
  ['surname', 'low', 0, 'van der zwaluwenburg'],
  ['surname', 'low', 0, 'v d zwaluwenburg'],
  ['surname', 'low', 0, 'vd zwaluwenburg'],
  ['surname', 'low', 0, 'zwaluwenburg'],
  ['first-name', 'low', 0, 'wietske'],
  ['email', 'high', 0, 'w.vanderzwaluwenburg@voorbeeld.nl'],
  ['phone', 'high', 0, '+31631415926'],
  ['employee-no', 'high', 0, 'P40417'],
] as const;

const CASE = 'ZK-2026-0431';

interface Row {
  id: number;
  owner: Buffer;
  kind: string;
  confidence: string;
  tokens: Buffer;
  reversed: number;
  worker: Buffer;
}

let bench: Bench;

beforeAll(() => {
  bench = makeBench('schuilnaam-scanidx-');
});
afterAll(() => bench?.cleanup());

const rowsOf = (v: Vault): Row[] => v.ctx.store.all<Row>('SELECT id, owner, kind, confidence, tokens, reversed, worker FROM scan_index ORDER BY id');

/** The keyed hash that names an owner's rows, worked out here from the blind-index key. */
const ownerOf = (v: Vault, id: string) => Buffer.from(blindIndex(v.ctx.key('blind'), 'scan-owner', id));

/** A form's stored tokens, worked out here from the scan key: 8 bytes per token, one digest of "kind␟value" for a value. */
function expectedTokens(v: Vault, kind: string, text: string): string {
  const key = deriveSubkey(v.ctx.key('scan'), 'leak-token');
  const h = (s: string) => Buffer.from(blindIndex(key, 'token', s).subarray(0, 8)).toString('hex');
  return ['email', 'phone', 'employee-no'].includes(kind) ? h(`${kind}\u001f${text}`) : text.split(' ').map(h).join('');
}

const shape = (r: Row) => `${r.kind}|${r.confidence}|${r.reversed}|${r.tokens.toString('hex')}`;

function expectedShapes(v: Vault, forms: readonly (readonly [string, string, number, string])[]): string[] {
  return forms.map(([kind, conf, rev, text]) => `${kind}|${conf}|${rev}|${expectedTokens(v, kind, text)}`).sort();
}

/** The index entries of a token form, walked backwards through the loaded trie as the matcher does. */
function entriesFor(si: ScanIndex, index: LeakIndex, text: string) {
  let node = 0;
  for (const t of text.split(' ').reverse()) {
    const id = index.idOf(si.tokenKey(t));
    if (id < 0) return undefined;
    node = index.step(node, id);
    if (node < 0) return undefined;
  }
  return index.entries(node);
}

async function scan(v: Vault, text: string): Promise<Finding[]> {
  return (await new Scanner(v.scanIndex).scan([{ location: 'body', text }])).findings;
}

const brief = (fs: Finding[]) => fs.map((f) => ({ kind: f.kind, text: f.text, worker: f.worker, ...(f.former ? { former: true } : {}) }));

/** The same vault as a caseworker sees it: no identity or blind-index key. */
function asCaseworker(v: Vault): ScanIndex {
  const c = v.ctx;
  const ctx = new VaultContext(c.store, c.keyring.subset(ROLE_COMPARTMENTS.caseworker), c.vaultId, 'casper', 'caseworker', () => new Date('2026-02-03T10:00:00Z'), c.random);
  return new ScanIndex(ctx);
}

describe('a vault without workers', () => {
  it('has an empty index that loads as empty and finds nothing', async () => {
    const v = await bench.unlock(await bench.create());
    expect(rowsOf(v)).toEqual([]);
    const index = v.scanIndex.load().get(1)!;
    expect(index.size).toBe(0);
    expect(index.values.size).toBe(0);
    expect(new Scanner(v.scanIndex).entries).toBe(0);
    expect(await scan(v, 'Wietske van der Zwaluwenburg, w.vanderzwaluwenburg@voorbeeld.nl, 06-31415926')).toEqual([]);
  });
});

describe('one worker\'s rows', () => {
  let v: Vault;
  let wietske: string;
  let hidde: string;

  beforeAll(async () => {
    v = await bench.unlock(await bench.create());
    wietske = v.workers.add(WIETSKE);
    hidde = v.workers.add(HIDDE);
  });

  it('are exactly the 28 forms of her name and contact details, owned by a keyed hash of her id', () => {
    const rows = rowsOf(v).filter((r) => r.owner.equals(ownerOf(v, wietske)));
    expect(rows).toHaveLength(28);
    expect(rows.map(shape).sort()).toEqual(expectedShapes(v, WIETSKE_FORMS));
    const count: Record<string, number> = {};
    for (const r of rows) count[r.kind] = (count[r.kind] ?? 0) + 1;
    expect(count).toEqual({ 'full-name': 11, 'initials-name': 9, surname: 4, 'first-name': 1, email: 1, phone: 1, 'employee-no': 1 });
  });

  it('a colleague\'s rows have an owner of their own, and no row holds a name or id in plain text', () => {
    const rows = rowsOf(v);
    const hiddeRows = rows.filter((r) => r.owner.equals(ownerOf(v, hidde)));
    expect(rows).toHaveLength(28 + hiddeRows.length);
    // Hidde Kloosterboer, initials H.: 2 + 2 + 1 glued full names, 2 + 2 with initials, surname, first name.
    expect(hiddeRows.map(shape).sort()).toEqual(
      expectedShapes(v, [
        ['full-name', 'high', 0, 'hidde kloosterboer'],
        ['full-name', 'high', 1, 'kloosterboer hidde'],
        ['full-name', 'high', 0, 'hiddekloosterboer'],
        ['initials-name', 'high', 0, 'h kloosterboer'],
        ['initials-name', 'high', 1, 'kloosterboer h'],
        ['surname', 'low', 0, 'kloosterboer'],
        ['first-name', 'low', 0, 'hidde'],
      ]),
    );
    for (const r of rows) {
      const raw = Buffer.concat([r.owner, r.tokens, r.worker]).toString('latin1');
      for (const s of ['wietske', 'zwaluwenburg', 'kloosterboer', wietske, hidde]) expect(raw.toLowerCase()).not.toContain(s.toLowerCase());
    }
  });

  it('each row\'s worker is sealed under the blind-index key, bound to the row, and workerOf gives it back', () => {
    for (const r of rowsOf(v)) {
      const rowId = `${r.owner.toString('hex')}:${r.kind}:${r.tokens.toString('hex')}`;
      const who = openField(v.ctx.key('blind'), r.worker, { table: 'scan_index', column: 'worker', rowId });
      expect(who).toBe(r.owner.equals(ownerOf(v, wietske)) ? wietske : hidde);
      expect(v.scanIndex.workerOf(r.id)).toBe(who);
    }
  });

  it('a row that is not there has no worker', () => {
    const last = Math.max(...rowsOf(v).map((r) => r.id));
    expect(v.scanIndex.workerOf(last + 1)).toBeNull();
    expect(v.scanIndex.workerOf(0)).toBeNull();
  });

  it('a caseworker loads the same index but never learns the worker behind a row', () => {
    const cw = asCaseworker(v);
    expect(cw.load().get(1)!.size).toBe(v.scanIndex.load().get(1)!.size);
    for (const r of rowsOf(v)) expect(cw.workerOf(r.id)).toBeNull();
    expect(cw.digest('wietske')).toBe(v.scanIndex.digest('wietske'));
  });

  it('the loaded index holds each form once, under the row it came from', () => {
    const index = v.scanIndex.load().get(1)!;
    const rows = rowsOf(v);
    expect(index.size).toBe(rows.length);
    const mine = rows.filter((r) => r.owner.equals(ownerOf(v, wietske)));
    for (const [kind, conf, rev, text] of WIETSKE_FORMS) {
      const row = mine.find((r) => r.kind === kind && r.tokens.toString('hex') === expectedTokens(v, kind, text))!;
      const entries = ['email', 'phone', 'employee-no'].includes(kind) ? index.values.get(v.scanIndex.valueKey(kind as 'email', text)) : entriesFor(v.scanIndex, index, text);
      expect(entries?.map((e) => ({ kind: e.kind, confidence: e.confidence, ref: e.ref, reversed: Boolean(e.reversed) }))).toEqual([
        { kind, confidence: conf, ref: row.id, reversed: rev === 1 },
      ]);
    }
    expect(entriesFor(v.scanIndex, index, 'wietske kloosterboer')).toBeUndefined();
  });

  it('a changed surname replaces her rows: the old spellings go, the new ones come, the contact details stay', async () => {
    const w2 = v.workers.add({ first_name: 'Ilse', last_name: 'Brouwershaven', email: 'ilse.b@voorbeeld.nl', team: 'Team Noord' });
    const before = rowsOf(v).filter((r) => r.owner.equals(ownerOf(v, w2)));
    expect(before).toHaveLength(8);
    v.workers.update(w2, { last_name: 'Ossenbrugge' });
    const after = rowsOf(v).filter((r) => r.owner.equals(ownerOf(v, w2)));
    expect(after.map(shape).sort()).toEqual(
      expectedShapes(v, [
        ['full-name', 'high', 0, 'ilse ossenbrugge'],
        ['full-name', 'high', 1, 'ossenbrugge ilse'],
        ['full-name', 'high', 0, 'ilseossenbrugge'],
        ['initials-name', 'high', 0, 'i ossenbrugge'],
        ['initials-name', 'high', 1, 'ossenbrugge i'],
        ['surname', 'low', 0, 'ossenbrugge'],
        ['first-name', 'low', 0, 'ilse'],
        ['email', 'high', 0, 'ilse.b@voorbeeld.nl'],
      ]),
    );
    expect(brief(await scan(v, 'Groet, Ilse Brouwershaven'))).toEqual([{ kind: 'first-name', text: 'Ilse', worker: w2 }]);
    expect(brief(await scan(v, 'Groet, Ilse Ossenbrugge'))).toEqual([{ kind: 'full-name', text: 'Ilse Ossenbrugge', worker: w2 }]);
  });
});

describe('offboarding and retired pseudonyms', () => {
  let v: Vault;
  let wietske: string;
  let hidde: string;
  let pseudonym: { id: string; name: string; formal: string };

  beforeAll(async () => {
    v = await bench.unlock(await bench.create());
    wietske = v.workers.add(WIETSKE);
    hidde = v.workers.add(HIDDE);
    v.cases.add(CASE, undefined, 'normal');
    v.cases.assign(CASE, wietske);
    const p = v.pseudonyms.get(CASE, wietske);
    pseudonym = { id: p.id, name: p.pseudonym, formal: p.formal };
    v.workers.offboard(wietske);
  });

  it('an offboarded worker keeps all 28 rows; each retired pseudonym adds its name, formal form and glued name', () => {
    const rows = rowsOf(v);
    expect(rows.filter((r) => r.owner.equals(ownerOf(v, wietske))).map(shape).sort()).toEqual(expectedShapes(v, WIETSKE_FORMS));
    const retired = rows.filter((r) => r.owner.equals(ownerOf(v, pseudonym.id)));
    // Its spellings come from the pure pseudonymForms (tests/unit/core.test.ts); here: that each is a row.
    const forms = pseudonymForms(pseudonym.name, pseudonym.formal).map((f) => [f.kind, f.confidence, 0, f.tokens.join(' ')] as const);
    expect(forms.length).toBeGreaterThanOrEqual(2);
    expect(forms.filter((f) => f[3].includes(' '))).toHaveLength(2);
    expect(retired.map(shape).sort()).toEqual(expectedShapes(v, forms));
    for (const r of retired) expect(v.scanIndex.workerOf(r.id)).toBe(wietske);
    expect(rows).toHaveLength(28 + 7 + retired.length);
  });

  it('a letter naming her or her old pseudonym is stopped, as a former worker', async () => {
    expect(brief(await scan(v, `Groet, ${pseudonym.name}`))).toEqual([{ kind: 'pseudonym-retired', text: pseudonym.name, worker: wietske, former: true }]);
    expect(brief(await scan(v, 'Groet, Wietske van der Zwaluwenburg'))).toEqual([{ kind: 'full-name', text: 'Wietske van der Zwaluwenburg', worker: wietske, former: true }]);
    expect(brief(await scan(v, 'Groet, Hidde Kloosterboer'))).toEqual([{ kind: 'full-name', text: 'Hidde Kloosterboer', worker: hidde }]);
  });

  it('isFormer: true only for an offboarded worker; false for an active one, an unknown id and no worker at all', () => {
    expect(v.scanIndex.isFormer(wietske)).toBe(true);
    expect(v.scanIndex.isFormer(hidde)).toBe(false);
    expect(v.scanIndex.isFormer('W-onbekend')).toBe(false);
    expect(v.scanIndex.isFormer(null)).toBe(false);
    const cw = asCaseworker(v);
    expect(cw.isFormer(null)).toBe(false);
  });

  it('isFormer looks each worker up once per index, and never for "no worker"', () => {
    const si = new ScanIndex(v.ctx);
    const spy = vi.spyOn(v.ctx.store, 'worker');
    try {
      expect([si.isFormer(wietske), si.isFormer(hidde), si.isFormer(wietske), si.isFormer(hidde), si.isFormer(null)]).toEqual([true, false, true, false, false]);
      expect(spy.mock.calls.map((c) => c[0])).toEqual([wietske, hidde]);
    } finally {
      spy.mockRestore();
    }
  });

  it('--forget removes her own rows; the retired pseudonym\'s rows stay', () => {
    const before = rowsOf(v);
    const retired = before.filter((r) => r.owner.equals(ownerOf(v, pseudonym.id)));
    v.workers.offboard(wietske, { forget: true });
    const after = rowsOf(v);
    expect(after.filter((r) => r.owner.equals(ownerOf(v, wietske)))).toEqual([]);
    expect(after.filter((r) => r.owner.equals(ownerOf(v, pseudonym.id)))).toEqual(retired);
    expect(after).toHaveLength(7 + retired.length);
  });

  it('offboarding with --forget at once leaves no rows of the worker', () => {
    const w = v.workers.add({ first_name: 'Jorrit', last_name: 'Haverkamp', phone: '06-27182818', team: 'Team Noord' });
    expect(rowsOf(v).filter((r) => r.owner.equals(ownerOf(v, w)))).toHaveLength(8);
    v.workers.offboard(w, { forget: true });
    expect(rowsOf(v).filter((r) => r.owner.equals(ownerOf(v, w)))).toEqual([]);
  });
});

describe('value digests for a scan', () => {
  let v: Vault;
  beforeAll(async () => {
    v = await bench.unlock(await bench.create());
  });

  it('are the keyed hash of "kind␟value", as stored in the index', () => {
    const key = deriveSubkey(v.ctx.key('scan'), 'leak-token');
    const want = Buffer.from(blindIndex(key, 'token', 'phone\u001f+31631415926').subarray(0, 8)).toString('hex');
    expect(v.scanIndex.valueKey('phone', '+31631415926')).toBe(want);
    expect(v.scanIndex.valueKey('phone', '+31631415926')).toBe(want);
    expect(v.scanIndex.valueKey('employee-no', '+31631415926')).not.toBe(want);
  });

  it('are worked out once per value in a run, and the memo starts over past 100,000 values', () => {
    const si = new ScanIndex(v.ctx);
    let hashed = 0;
    const real = si.digest.bind(si);
    si.digest = (norm: string) => {
      hashed++;
      return real(norm);
    };
    const first = si.valueKey('email', 'a@voorbeeld.nl');
    si.valueKey('phone', '+31600000001');
    expect(si.valueKey('email', 'a@voorbeeld.nl')).toBe(first);
    expect(hashed).toBe(2);
    for (let i = 2; i < 100_000; i++) si.valueKey('phone', `+316${String(i).padStart(8, '0')}`);
    expect(hashed).toBe(100_000);
    // Still within the memo: the first value is not hashed again.
    expect(si.valueKey('email', 'a@voorbeeld.nl')).toBe(first);
    expect(hashed).toBe(100_000);
    // The 100,001st value empties the memo first.
    si.valueKey('phone', '+31699999999');
    expect(hashed).toBe(100_001);
    expect(si.valueKey('email', 'a@voorbeeld.nl')).toBe(first);
    expect(hashed).toBe(100_002);
  });
});

describe('an index built with fewer name forms', () => {
  it('is rebuilt at unlock: every active worker and retired pseudonym gets its rows back exactly', async () => {
    const file = await bench.create();
    let v = await bench.unlock(file);
    const wietske = v.workers.add(WIETSKE);
    const hidde = v.workers.add(HIDDE);
    const gone = v.workers.add({ first_name: 'Marloes', last_name: 'Tjalsmavaart', team: 'Team Noord' });
    v.cases.add(CASE, undefined, 'normal');
    v.cases.assign(CASE, hidde);
    v.cases.assign(CASE, gone);
    const p = v.pseudonyms.get(CASE, gone);
    v.workers.offboard(gone);
    const all = rowsOf(v).map((r) => `${r.owner.toString('hex')}|${shape(r)}`).sort();
    expect(all.filter((r) => r.startsWith(ownerOf(v, p.id).toString('hex'))).length).toBeGreaterThanOrEqual(2);
    // What an index of forms version 1 looked like: no glued names (one 8-byte token), no version mark.
    const glued = "kind IN ('full-name', 'pseudonym-retired') AND length(tokens) = 8";
    const dropped = v.ctx.store.get<{ n: number }>(`SELECT count(*) AS n FROM scan_index WHERE ${glued}`)!.n;
    expect(dropped).toBeGreaterThanOrEqual(4);
    v.ctx.store.transaction(() => {
      v.ctx.store.run(`DELETE FROM scan_index WHERE ${glued}`);
      v.ctx.store.run("DELETE FROM meta WHERE key = 'leak_forms'");
    });
    expect(rowsOf(v).length).toBe(all.length - dropped);
    bench.closeAll();

    v = await bench.unlock(file);
    const entry = v.audit.entries().find((e) => e.action === 'scan_index.rebuild')!;
    // Two active workers and one retired pseudonym; the offboarded worker's name is gone and cannot be rebuilt.
    expect(entry.details).toEqual({ forms_version: LEAK_FORMS_VERSION, owners: 3 });
    const now = rowsOf(v).map((r) => `${r.owner.toString('hex')}|${shape(r)}`).sort();
    const goneGlued = `${ownerOf(v, gone).toString('hex')}|full-name|high|0|${expectedTokens(v, 'full-name', 'marloestjalsmavaart')}`;
    expect(all).toContain(goneGlued);
    expect(now).toEqual(all.filter((r) => r !== goneGlued));
    expect(v.ctx.store.getMeta('leak_forms')).toBe(String(LEAK_FORMS_VERSION));
    expect(brief(await scan(v, 'Zie #WietskeZwaluwenburg'))).toEqual([{ kind: 'full-name', text: 'WietskeZwaluwenburg', worker: wietske }]);
    expect(v.verify().problems).toEqual([]);
  });
});
