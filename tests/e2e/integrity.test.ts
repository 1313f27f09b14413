// Attacks on the vault file by someone without a key (issue 14, finding 1):
// rows of the leak index, the guards and the pseudonyms deleted, added,
// altered or put back to an older version, a sealed field rolled back, the
// seal or its triggers removed, the audit log's end cut off. Each must make
// scan, render and redact refuse (exit 4, naming the table) and verify
// report it (exit 1). The attacker here is as strong as can be without the
// key: they define the trigger functions themselves so that every stored
// digest stays exactly as it was, or drop the triggers.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';
import { openAsAttacker } from '../helpers/tamper.js';

const CASE = 'JB-INT-0007';
const LETTER = [
  'Beste familie,',
  '',
  'Uw vaste contactpersoon is Wendelien Okkerse-Bruinsma (w.okkerse@jb-integriteit.example, 06 2837 4411).',
  '',
].join('\n');

interface Fixture {
  sb: Sandbox;
  workers: { wendelien: string; thijmen: string; rozemarijn: string };
  /** The vault file as it was before the rotation and the surname change: material for rollbacks. */
  before: string;
  rotated: { old: string; oldId: string; fresh: string; freshId: string };
}

let fx: Fixture;
const extra: Sandbox[] = [];

async function addWorker(sb: Sandbox, args: string[]): Promise<string> {
  return json<{ id: string }>(expectOk(await sb.runP(['worker', 'add', ...args, '--json']))).id;
}

/** Copies a vault (main file and journal) into a fresh sandbox. */
function copyVault(from: string, to: Sandbox): void {
  for (const suffix of ['', '-wal']) {
    if (fs.existsSync(from + suffix)) fs.copyFileSync(from + suffix, to.vault + suffix);
  }
}

function checkpoint(file: string): void {
  const db = new Database(file);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * Opens the vault as an attacker without the key: the trigger functions are
 * the attacker's own and leave every stored digest as it was.
 */
function tamper(file: string, fn: (db: Database.Database) => void): void {
  const db = openAsAttacker(file);
  try {
    fn(db);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** A sandbox holding a copy of the fixture's vault, the same passphrase and the leaky letter. */
function copy(): Sandbox {
  const sb = makeSandbox();
  extra.push(sb);
  checkpoint(fx.sb.vault);
  copyVault(fx.sb.vault, sb);
  fs.writeFileSync(path.join(sb.dir, 'brief.txt'), LETTER);
  return sb;
}

beforeAll(async () => {
  const sb = makeSandbox();
  await sb.init();
  const wendelien = await addWorker(sb, ['--first-name', 'Wendelien', '--last-name', 'Okkerse-Bruinsma', '--email', 'w.okkerse@jb-integriteit.example', '--phone', '06 2837 4411', '--employee-no', 'PN-88213', '--team', 'Team Duin']);
  const thijmen = await addWorker(sb, ['--first-name', 'Thijmen', '--prefix', 'van', '--last-name', 'Keulenaer', '--team', 'Team Duin']);
  const rozemarijn = await addWorker(sb, ['--first-name', 'Rozemarijn', '--last-name', 'Tjallingii', '--team', 'Team Duin']);
  expectOk(await sb.runP(['case', 'add', CASE, '--team', 'Team Duin']));
  expectOk(await sb.runP(['team', 'set', 'Team Duin', '--phone', '020 555 0177', '--email', 'team-duin@jb-integriteit.example', '--address', 'Postbus 12\\n8000 AA Zwolle']));
  for (const w of [wendelien, thijmen, rozemarijn]) expectOk(await sb.runP(['case', 'assign', CASE, w]));
  for (const w of [wendelien, thijmen, rozemarijn]) expectOk(await sb.runP(['pseudonym', 'get', '--case', CASE, '--worker', w]));
  const old = json<{ id: string; pseudonym: string }>(expectOk(await sb.runP(['pseudonym', 'get', '--case', CASE, '--worker', thijmen, '--json'])));
  checkpoint(sb.vault);
  const before = path.join(sb.dir, 'before.db');
  fs.copyFileSync(sb.vault, before);
  expectOk(await sb.runP(['rotate', '--pseudonym', old.pseudonym, '--reason', 'naam gedeeld in een appgroep', '--yes']));
  expectOk(await sb.runP(['worker', 'update', rozemarijn, '--last-name', 'Tjallingii-Oudkerkveld']));
  const fresh = json<{ id: string; pseudonym: string }>(expectOk(await sb.runP(['pseudonym', 'get', '--case', CASE, '--worker', thijmen, '--json'])));
  fx = { sb, workers: { wendelien, thijmen, rozemarijn }, before, rotated: { old: old.pseudonym, oldId: old.id, fresh: fresh.pseudonym, freshId: fresh.id } };
}, 120_000);

afterAll(() => {
  fx?.sb.cleanup();
  for (const s of extra.splice(0)) s.cleanup();
});

/** scan of the leaky letter refuses with exit 4 naming the table; verify lists it with exit 1. */
async function expectCaught(sb: Sandbox, table: string | RegExp): Promise<void> {
  const names = typeof table === 'string' ? new RegExp(`\\b${table}\\b`, 'u') : table;
  expectCleanError(await sb.runP(['scan', 'brief.txt']), 4, names);
  const v = await sb.runP(['verify']);
  expect(v.exitCode, v.stdout + v.stderr).toBe(1);
  expect(v.stdout).toMatch(names);
}

function rowsOf(file: string, sql: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

describe('the untouched copy', () => {
  it('scans the leaky letter as a leak (exit 1) and verifies clean', async () => {
    const sb = copy();
    const r = await sb.runP(['scan', 'brief.txt']);
    expect(r.exitCode, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/high full-name/u);
    expectOk(await sb.runP(['verify']));
  });
});

describe('the leak index (scan_index)', () => {
  it('emptied: scan, render and redact refuse with exit 4, verify says which table', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => db.exec('DELETE FROM scan_index'));
    await expectCaught(sb, 'scan_index');
    expectCleanError(await sb.runP(['render', 'uitnodiging', '--case', CASE, '--worker', fx.workers.wendelien, '--out', 'u.md', '--set', 'onderwerp=school', '--set', 'datum=1 mei', '--set', 'tijd=10 uur', '--set', 'locatie=het bureau']), 4, /scan_index/u);
    expect(fs.existsSync(path.join(sb.dir, 'u.md'))).toBe(false);
    expectCleanError(await sb.runP(['redact', 'brief.txt', '--case', CASE, '--out', 'schoon.txt']), 4, /scan_index/u);
    expect(fs.existsSync(path.join(sb.dir, 'schoon.txt'))).toBe(false);
  });

  it('one row deleted (the e-mail address only) is caught', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => db.exec("DELETE FROM scan_index WHERE id = (SELECT min(id) FROM scan_index WHERE kind = 'email')"));
    await expectCaught(sb, 'scan_index');
  });

  it('a row altered (kind downgraded, confidence lowered, tokens changed) is caught', async () => {
    for (const sql of [
      "UPDATE scan_index SET confidence = 'low' WHERE kind = 'full-name'",
      "UPDATE scan_index SET kind = 'surname' WHERE id = (SELECT min(id) FROM scan_index WHERE kind = 'full-name')",
      'UPDATE scan_index SET tokens = zeroblob(length(tokens)) WHERE id = (SELECT max(id) FROM scan_index)',
    ]) {
      const sb = copy();
      tamper(sb.vault, (db) => db.exec(sql));
      await expectCaught(sb, 'scan_index');
    }
  });

  it('a row added (a copy of another with a new id) is caught', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => db.exec('INSERT INTO scan_index (owner, kind, confidence, tokens, reversed, worker) SELECT owner, kind, confidence, tokens, reversed, worker FROM scan_index LIMIT 1'));
    await expectCaught(sb, 'scan_index');
  });

  it('put back as it was before a surname change (rolled back) is caught', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => {
      db.exec(`ATTACH DATABASE '${fx.before}' AS old`);
      db.exec('DELETE FROM main.scan_index; INSERT INTO main.scan_index SELECT * FROM old.scan_index');
    });
    await expectCaught(sb, 'scan_index');
  });

  it('with the triggers dropped first, a deletion is caught and the dropped triggers are named', async () => {
    const sb = copy();
    const db = new Database(sb.vault);
    db.exec("DROP TRIGGER integrity_scan_index_delete; DELETE FROM scan_index WHERE kind = 'phone'");
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    await expectCaught(sb, 'scan_index');
    const v = await sb.runP(['verify']);
    expect(v.stdout).toMatch(/integrity trigger was removed or altered outside schuilnaam \(integrity_scan_index_delete\)/u);
  });
});

describe('the guards', () => {
  it('name_guards: a row deleted, or its count changed, is caught', async () => {
    for (const sql of ['DELETE FROM name_guards WHERE digest = (SELECT max(digest) FROM name_guards)', 'DELETE FROM name_guards', 'UPDATE name_guards SET refs = refs + 1']) {
      const sb = copy();
      tamper(sb.vault, (db) => db.exec(sql));
      await expectCaught(sb, 'name_guards');
    }
  });

  it('pseudonym_guards: a row deleted or added is caught', async () => {
    for (const sql of [
      'DELETE FROM pseudonym_guards',
      "INSERT INTO pseudonym_guards (digest, pseudonym_id) SELECT randomblob(32), pseudonym_id FROM pseudonym_guards LIMIT 1",
    ]) {
      const sb = copy();
      tamper(sb.vault, (db) => db.exec(sql));
      await expectCaught(sb, 'pseudonym_guards');
    }
  });
});

describe('the pseudonyms', () => {
  it('a rotated name set back to active: pseudonym get refuses instead of handing out the leaked name', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => {
      db.prepare("UPDATE pseudonyms SET status = 'retired' WHERE id = ?").run(fx.rotated.freshId);
      db.prepare("UPDATE pseudonyms SET status = 'active', ended_at = NULL, end_reason = NULL, replaced_by = NULL, compromise_id = NULL WHERE id = ?").run(fx.rotated.oldId);
    });
    const r = await sb.runP(['pseudonym', 'get', '--case', CASE, '--worker', fx.workers.thijmen]);
    expectCleanError(r, 4, /pseudonyms/u);
    expect(r.stdout + r.stderr).not.toContain(fx.rotated.old);
    await expectCaught(sb, 'pseudonyms');
  });

  it('the same rollback with the whole old row copied from an older vault is caught', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => {
      db.exec(`ATTACH DATABASE '${fx.before}' AS old`);
      db.prepare("UPDATE main.pseudonyms SET status = 'retired' WHERE id = ?").run(fx.rotated.freshId);
      db.prepare('DELETE FROM main.document_pseudonyms WHERE pseudonym_id = ?').run(fx.rotated.oldId);
      db.exec('PRAGMA foreign_keys = OFF');
      db.prepare('UPDATE main.pseudonyms SET replaced_by = NULL WHERE replaced_by = ?').run(fx.rotated.oldId);
      db.prepare('DELETE FROM main.pseudonym_guards WHERE pseudonym_id = ?').run(fx.rotated.oldId);
      db.prepare('DELETE FROM main.pseudonyms WHERE id = ?').run(fx.rotated.oldId);
      db.prepare('INSERT INTO main.pseudonyms SELECT * FROM old.pseudonyms WHERE id = ?').run(fx.rotated.oldId);
      db.prepare('INSERT INTO main.pseudonym_guards SELECT * FROM old.pseudonym_guards WHERE pseudonym_id = ?').run(fx.rotated.oldId);
    });
    expectCleanError(await sb.runP(['pseudonym', 'get', '--case', CASE, '--worker', fx.workers.thijmen]), 4, /pseudonyms/u);
    await expectCaught(sb, 'pseudonyms');
  });

  it('the owner changed: resolve refuses instead of naming the wrong worker', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => {
      db.exec('PRAGMA foreign_keys = OFF');
      // The leaked (compromised) name now points at a colleague.
      db.prepare('UPDATE pseudonyms SET worker_id = ? WHERE id = ?').run(fx.workers.rozemarijn, fx.rotated.oldId);
    });
    const r = await sb.runP(['pseudonym', 'resolve', fx.rotated.old, '--reason', 'aangifte 2026-77']);
    expectCleanError(r, 4, /pseudonyms/u);
    expect(r.stdout + r.stderr).not.toContain(fx.workers.rozemarijn);
    await expectCaught(sb, 'pseudonyms');
  });

  it('the case or the successor changed is caught', async () => {
    for (const sql of [
      `UPDATE pseudonyms SET replaced_by = NULL WHERE id = '${fx.rotated.oldId}'`,
      `UPDATE pseudonyms SET compromise_id = NULL WHERE id = '${fx.rotated.oldId}'`,
      "UPDATE pseudonyms SET scope = 'worker', case_id = NULL WHERE id = (SELECT min(id) FROM pseudonyms WHERE status = 'active')",
    ]) {
      const sb = copy();
      tamper(sb.vault, (db) => db.exec(sql));
      await expectCaught(sb, 'pseudonyms');
    }
  });
});

describe('sealed fields and the seal itself', () => {
  it("a worker's surname rolled back to its older ciphertext is reported by verify", async () => {
    const sb = copy();
    const [old] = rowsOf(fx.before, `SELECT last_name, updated_at FROM workers WHERE id = '${fx.workers.rozemarijn}'`);
    tamper(sb.vault, (db) => db.prepare('UPDATE workers SET last_name = ?, updated_at = ? WHERE id = ?').run(old!.last_name, old!.updated_at, fx.workers.rozemarijn));
    // The old ciphertext still opens (same row, same column): only the seal tells.
    const shown = json<{ last_name: string }>(await sb.runP(['worker', 'show', fx.workers.rozemarijn, '--json']));
    expect(shown.last_name).toBe('Tjallingii');
    const v = await sb.runP(['verify']);
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toMatch(/the workers table was changed outside schuilnaam \(rows altered or put back to an older version\)/u);
  });

  it('the seal removed: the vault is not sealed again silently; scan refuses and verify reports it', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => db.exec('DELETE FROM integrity_seal'));
    expectCleanError(await sb.runP(['scan', 'brief.txt']), 4, /integrity seal is missing/u);
    const v = await sb.runP(['verify']);
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toMatch(/integrity seal is missing/u);
    // Still missing after those runs: nothing re-sealed the tampered state.
    expect(rowsOf(sb.vault, 'SELECT * FROM integrity_seal')).toEqual([]);
  });

  it('the stored digests edited to match a deletion are caught by the seal', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => db.exec("DELETE FROM scan_index; UPDATE integrity SET rows = 0, digest = zeroblob(32) WHERE name = 'scan_index'"));
    await expectCaught(sb, /integrity record was altered/u);
  });

  it('the end of the audit log cut off is caught without an external chain head', async () => {
    const sb = copy();
    tamper(sb.vault, (db) => db.exec('DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)'));
    const v = await sb.runP(['verify']);
    expect(v.exitCode).toBe(1);
    expect(v.stdout).toMatch(/the end of the audit log changed outside schuilnaam/u);
    expectCleanError(await sb.runP(['scan', 'brief.txt']), 4, /audit log/u);
  });

  it('a write on a vault whose seal no longer matches is refused, so it cannot seal the tampering in', async () => {
    const sb = copy();
    // The triggers lower the row count: the seal no longer matches the stored digests.
    tamper(sb.vault, (db) => db.exec("DELETE FROM scan_index WHERE kind = 'email'"));
    const before = fs.readFileSync(sb.vault);
    expectCleanError(await sb.runP(['worker', 'add', '--first-name', 'Gijsbertha', '--last-name', 'Onderdijk', '--team', 'Team Duin']), 4, /integrity record was altered; nothing was changed/u);
    expect(fs.readFileSync(sb.vault).equals(before)).toBe(true);
    await expectCaught(sb, 'scan_index');
  });

  it('a legitimate change after tampering that left the seal intact does not hide the tampering', async () => {
    const sb = copy();
    // Triggers dropped: digests, row counts and seal stay as they were.
    const db = new Database(sb.vault);
    db.exec("DROP TRIGGER integrity_scan_index_delete; DELETE FROM scan_index WHERE kind = 'email'");
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expectOk(await sb.runP(['case', 'add', 'JB-INT-0099', '--team', 'Team Duin']));
    await expectCaught(sb, 'scan_index');
  });
});

describe('legitimate work keeps the seal', () => {
  it('every command that writes leaves a vault that verifies clean', async () => {
    const sb = copy();
    const ok = async (args: string[]): Promise<RunResult> => expectOk(await sb.runP(args));
    await ok(['worker', 'update', fx.workers.wendelien, '--phone', '06 9911 2233']);
    await ok(['team', 'set', 'Team Duin', '--email', 'team-duin@jb-integriteit.example']);
    await ok(['render', 'uitnodiging', '--case', CASE, '--worker', fx.workers.wendelien, '--out', 'u.md', '--set', 'onderwerp=school', '--set', 'datum=1 mei', '--set', 'tijd=10 uur', '--set', 'locatie=het bureau']);
    await ok(['rotate', '--worker', fx.workers.wendelien, '--reason', 'adres gedeeld', '--yes']);
    await ok(['worker', 'offboard', fx.workers.rozemarijn, '--yes']);
    const next = path.join(sb.dir, 'nieuw.txt');
    fs.writeFileSync(next, 'een heel ander lang wachtwoord\n', { mode: 0o600 });
    expectOk(await sb.run(['passwd', '--passphrase-file', sb.passFile, '--new-passphrase-file', next]));
    fs.copyFileSync(next, sb.passFile);
    await ok(['verify']);
  });
});
