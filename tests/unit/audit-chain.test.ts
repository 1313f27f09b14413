// The audit log's chain in-process (src/vault/audit.ts): each way an attacker
// without the key can damage it gives its own problem, at the right entry; a
// kept chain head catches what the chain alone cannot (a cut-off end). The
// CLI's view is in tests/e2e/audit.test.ts. Invented people only.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../src/crypto/sodium.js';
import { UsageError } from '../../src/errors.js';
import { parseHead } from '../../src/vault/audit.js';
import { makeBench, readRows, type Bench } from '../helpers/inproc.js';
import { openAsAttacker } from '../helpers/tamper.js';

let bench: Bench;
beforeAll(async () => {
  await loadSodium();
});
afterEach(() => {
  bench?.cleanup();
});

const MAARTJE = { first_name: 'Maartje', last_name: 'Zwanenburgh', email: 'm.zwanenburgh@jeugdhulp-proef.nl', team: 'Team Noord' };
const GIJS = { first_name: 'Gijs', last_name: 'Hollewand', team: 'Team Noord' };

interface Row {
  seq: number;
  at: string;
  hash: Buffer;
}

/** A vault with a handful of entries; returns its file and rows. */
async function vaultWithEntries(): Promise<{ file: string; rows: Row[] }> {
  bench = makeBench('schuilnaam-audit-');
  const file = await bench.create();
  const v = await bench.unlock(file);
  const a = v.workers.add(MAARTJE);
  v.workers.add(GIJS);
  v.workers.update(a, { ...MAARTJE, phone: '06-39127745' });
  v.audit.append('test.note', 'W-0', { n: 1 }, 'een reden met Maartje erin');
  bench.closeAll();
  const rows = readRows<Row>(file, 'SELECT seq, at, hash FROM audit_log ORDER BY seq');
  expect(rows.length).toBeGreaterThanOrEqual(5);
  return { file, rows };
}

function tamper(file: string, sql: string, ...params: unknown[]): void {
  const db = openAsAttacker(file);
  try {
    db.prepare(sql).run(...params);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

const hex = (b: Buffer) => b.toString('hex');

describe('audit verify on an intact log', () => {
  it('is ok, counts every entry and reports the last as the head', async () => {
    const { file, rows } = await vaultWithEntries();
    const v = await bench.unlock(file);
    const last = rows.at(-1)!;
    expect(v.audit.verify()).toEqual({ ok: true, problems: [], entries: rows.length, head: { seq: last.seq, hash: hex(last.hash) }, first_broken: null });
    // With the head just read, and with an earlier head of the same chain: both ok.
    expect(v.audit.verify({ seq: last.seq, hash: hex(last.hash) }).ok).toBe(true);
    expect(v.audit.verify({ seq: 2, hash: hex(rows[1]!.hash) }).ok).toBe(true);
  });

  it('every entry follows the one before it, from 1, with the reason sealed', async () => {
    const { file, rows } = await vaultWithEntries();
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    const prevs = readRows<{ prev: Buffer }>(file, 'SELECT prev FROM audit_log ORDER BY seq');
    expect(hex(prevs[0]!.prev)).toBe('00'.repeat(32));
    for (let i = 1; i < rows.length; i++) expect(hex(prevs[i]!.prev)).toBe(hex(rows[i - 1]!.hash));
    const sealed = readRows<{ sealed: Buffer | null; details: string }>(file, "SELECT sealed, details FROM audit_log WHERE action = 'test.note'")[0]!;
    expect(sealed.details).toBe('{"n":1}');
    expect(sealed.sealed).not.toBeNull();
    expect(sealed.sealed!.toString('latin1')).not.toContain('Maartje');
    const v = await bench.unlock(file);
    const note = v.audit.entries().find((e) => e.action === 'test.note')!;
    expect(note).toMatchObject({ actor: 'admin', subject: 'W-0', details: { n: 1 }, reason: 'een reden met Maartje erin' });
    expect(v.audit.entries().filter((e) => e.reason !== null)).toHaveLength(1);
  });

  it('entries(since) starts at the first entry at or after that time', async () => {
    const { file, rows } = await vaultWithEntries();
    const v = await bench.unlock(file);
    expect(v.audit.entries(rows[2]!.at).map((e) => e.seq)).toEqual(rows.slice(2).map((r) => r.seq));
    expect(v.audit.entries('2999-01-01T00:00:00Z')).toEqual([]);
  });
});

describe('audit verify on a damaged log: one problem, at the first broken entry', () => {
  it('an entry deleted from the middle', async () => {
    const { file } = await vaultWithEntries();
    tamper(file, 'DELETE FROM audit_log WHERE seq = 3');
    const r = (await bench.unlock(file)).audit.verify();
    expect(r.ok).toBe(false);
    expect(r.first_broken).toBe(3);
    expect(r.problems).toEqual(['audit entry 3: missing (entries 3-3 were deleted)']);
  });

  it('several entries deleted name the range', async () => {
    const { file } = await vaultWithEntries();
    tamper(file, 'DELETE FROM audit_log WHERE seq IN (2, 3, 4)');
    const r = (await bench.unlock(file)).audit.verify();
    expect(r.problems).toEqual(['audit entry 2: missing (entries 2-4 were deleted)']);
    expect(r.first_broken).toBe(2);
  });

  it('the first entry deleted', async () => {
    const { file, rows } = await vaultWithEntries();
    tamper(file, 'DELETE FROM audit_log WHERE seq = 1');
    const r = (await bench.unlock(file)).audit.verify();
    expect(r.problems).toEqual(['audit entry 1: missing (entries 1-1 were deleted)']);
    expect(r.entries).toBe(rows.length - 1);
  });

  it('an entry renumbered back so two entries share a place in the order ("out of order")', async () => {
    const { file } = await vaultWithEntries();
    // seq 3 becomes 0: the walk sees 0 where it expects 1.
    tamper(file, 'UPDATE audit_log SET seq = 0 WHERE seq = 3');
    const r = (await bench.unlock(file)).audit.verify();
    expect(r.problems).toEqual(['audit entry 1: out of order']);
    expect(r.first_broken).toBe(1);
  });

  it('an entry whose prev does not name the entry before it', async () => {
    const { file } = await vaultWithEntries();
    tamper(file, 'UPDATE audit_log SET prev = (SELECT prev FROM audit_log WHERE seq = 2) WHERE seq = 4');
    const r = (await bench.unlock(file)).audit.verify();
    expect(r.problems).toEqual(['audit entry 4: does not follow the entry before it (deleted, inserted or reordered)']);
    expect(r.first_broken).toBe(4);
  });

  for (const [column, value] of [
    ['at', "'2026-01-01T00:00:00.000Z'"],
    ['action', "'worker.view'"],
    ['subject', "'W-9999'"],
    ['details', `'{"n":2}'`],
    ['sealed', 'NULL'],
  ] as const) {
    it(`an entry whose ${column} alone was changed: "altered", the hash covers it`, async () => {
      const { file, rows } = await vaultWithEntries();
      const seq = rows.length; // the note, which has a sealed reason
      tamper(file, `UPDATE audit_log SET ${column} = ${value} WHERE seq = ?`, seq);
      const r = (await bench.unlock(file)).audit.verify();
      expect(r.problems).toEqual([`audit entry ${seq}: was altered after it was written`]);
      expect(r.first_broken).toBe(seq);
    });
  }

  it('a sealed reason moved to another entry is altered there', async () => {
    const { file, rows } = await vaultWithEntries();
    tamper(file, 'UPDATE audit_log SET sealed = (SELECT sealed FROM audit_log WHERE seq = ?) WHERE seq = 2', rows.length);
    const r = (await bench.unlock(file)).audit.verify();
    expect(r.problems).toEqual(['audit entry 2: was altered after it was written']);
  });

  it('only the first break is reported, however much follows it', async () => {
    const { file } = await vaultWithEntries();
    tamper(file, "UPDATE audit_log SET subject = 'X' WHERE seq >= 2");
    const r = (await bench.unlock(file)).audit.verify();
    expect(r.problems).toEqual(['audit entry 2: was altered after it was written']);
    expect(r.first_broken).toBe(2);
  });
});

describe('audit verify with a kept chain head', () => {
  it('entries cut from the end: the chain is intact, the head catches it', async () => {
    const { file, rows } = await vaultWithEntries();
    const last = rows.at(-1)!;
    tamper(file, 'DELETE FROM audit_log WHERE seq >= ?', last.seq - 1);
    const v = await bench.unlock(file);
    expect(v.audit.verify().ok).toBe(true);
    const r = v.audit.verify({ seq: last.seq, hash: hex(last.hash) });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual([
      `the log ends at entry ${last.seq - 2}, but the chain head you kept is entry ${last.seq}: entries were deleted from the end, or the log was rewritten`,
    ]);
    expect(r.first_broken).toBe(last.seq - 1);
  });

  it('every entry deleted: the log ends at 0', async () => {
    const { file, rows } = await vaultWithEntries();
    tamper(file, 'DELETE FROM audit_log');
    const r = (await bench.unlock(file)).audit.verify({ seq: 3, hash: hex(rows[2]!.hash) });
    expect(r.entries).toBe(0);
    expect(r.head).toBeNull();
    expect(r.problems).toEqual(['the log ends at entry 0, but the chain head you kept is entry 3: entries were deleted from the end, or the log was rewritten']);
    expect(r.first_broken).toBe(1);
  });

  it('a head whose hash differs from the entry at that place (a rewritten log)', async () => {
    const { file, rows } = await vaultWithEntries();
    const r = (await bench.unlock(file)).audit.verify({ seq: 2, hash: hex(rows[1]!.hash).replace(/^./u, (c) => (c === '0' ? '1' : '0')) });
    expect(r.ok).toBe(false);
    expect(r.problems).toEqual(['audit entry 2 differs from the chain head you kept']);
    expect(r.first_broken).toBeNull();
  });

  it('a head inside the log whose entry was deleted', async () => {
    const { file, rows } = await vaultWithEntries();
    tamper(file, 'DELETE FROM audit_log WHERE seq = 2');
    const r = (await bench.unlock(file)).audit.verify({ seq: 2, hash: hex(rows[1]!.hash) });
    expect(r.problems).toEqual(['audit entry 2: missing (entries 2-2 were deleted)', 'audit entry 2 from the chain head you kept is missing']);
    expect(r.first_broken).toBe(2);
  });
});

describe('parseHead', () => {
  const h = 'ab'.repeat(32);
  it('reads SEQ:HASH as printed, in any case, with surrounding space', () => {
    expect(parseHead(`12:${h}`)).toEqual({ seq: 12, hash: h });
    expect(parseHead(`  7:${h.toUpperCase()}\n`)).toEqual({ seq: 7, hash: h });
  });

  it('refuses anything else with a hint at the format', () => {
    for (const bad of ['', `12:${h}0`, `12:${h.slice(1)}`, `x:${h}`, `12 ${h}`, `12:${h.replace('a', 'g')}`, `-1:${h}`, `12:${h}:3`, `a12:${h}`]) {
      try {
        parseHead(bad);
        throw new Error(`accepted ${bad}`);
      } catch (e) {
        expect(e, bad).toBeInstanceOf(UsageError);
        expect((e as UsageError).message).toBe(`invalid --head "${bad}"`);
        expect((e as UsageError).hint).toBe('give it as printed by "schuilnaam audit verify": SEQ:HASH');
      }
    }
  });
});
