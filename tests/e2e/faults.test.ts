// Fault injection against the built CLI: damaged and foreign files, a vault
// from the future, init over an existing vault, SIGKILL in the middle of an
// import, concurrent writers, and all-or-nothing CSV imports.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk, type WorkerJson } from '../helpers/expect.js';

// ---------------------------------------------------------------------------
// helpers

const HEADER = 'first_name,prefix,last_name,initials,email,phone,employee_no,team';
const FIRST = ['Anouk', 'Bram', 'Daan', 'Eline', 'Floor', 'Gijs', 'Hanna', 'Ilse', 'Joris', 'Lotte', 'Maarten', 'Noor', 'Pieter', 'Roos', 'Sem', 'Tess', 'Wouter', 'Yara'];
const PREFIX = ['', '', '', 'van', 'de', 'van der', "van 't", 'ter'];
const LAST = ['Brinkhorst', 'Dijkveld', 'Hoekmeijer', 'Kuipering', 'Mulderink', 'Postema', 'Terwolde', 'Veenhuizen', 'Wiersinga', 'Zijlmans', 'Ösdorp', 'Kamphorst-Bos'];
const TEAMS = ['Team Noord', 'Team Zuid', 'Team Oost', 'Team West'];

/** `n` invented workers whose e-mails and personnel numbers are unique to `tag` (an integer). */
function workerCsv(tag: number, n: number): string {
  const rows = [HEADER];
  const t = String(tag).padStart(3, '0');
  for (let i = 0; i < n; i++) {
    const first = FIRST[i % FIRST.length]!;
    const last = LAST[(i * 7 + tag) % LAST.length]!;
    const prefix = PREFIX[(i + tag) % PREFIX.length]!;
    const mail = `${first}.${last.replace(/\W/gu, '')}.t${t}.${i}@jeugdzorg-test.nl`.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
    const phone = `06-${String(20_000_000 + tag * 10_000 + i)}`;
    const no = `T${t}${String(i).padStart(5, '0')}`;
    rows.push([first, prefix, last, '', mail, phone, no, TEAMS[i % TEAMS.length]].map((v) => (/[,"']/u.test(v) ? `"${v.replace(/"/gu, '""')}"` : v)).join(','));
  }
  return rows.join('\n') + '\n';
}

function writeCsv(sb: Sandbox, name: string, text: string): string {
  const file = path.join(sb.dir, name);
  fs.writeFileSync(file, text);
  return file;
}

async function countWorkers(sb: Sandbox, vault?: string): Promise<number> {
  const r = await sb.runP(['worker', 'list', '--json', ...(vault ? ['--vault', vault] : [])]);
  expectOk(r);
  return json<unknown[]>(r).length;
}

async function expectVerified(sb: Sandbox, vault?: string): Promise<{ ok: boolean; problems: string[]; checked?: { workers: number } }> {
  const r = await sb.runP(['verify', '--json', ...(vault ? ['--vault', vault] : [])]);
  expect(r.exitCode, `verify: ${r.stdout}\n${r.stderr}`).toBe(0);
  const report = json<{ ok: boolean; problems: string[]; checked?: { workers: number } }>(r);
  expect(report).toMatchObject({ ok: true, problems: [] });
  return report;
}

function spawnCli(sb: Sandbox, args: string[]) {
  return execa(process.execPath, [BIN, ...args, '--passphrase-file', sb.passFile], {
    env: sb.env,
    extendEnv: false,
    reject: false,
    cwd: sb.dir,
    stdin: 'ignore',
    timeout: 60_000,
    stripFinalNewline: false,
  });
}

function asRunResult(r: { stdout?: unknown; stderr?: unknown; exitCode?: number }): RunResult {
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
}

// ---------------------------------------------------------------------------

describe('damaged, foreign and future files', () => {
  let base: Sandbox;
  let good: string;
  let counter = 0;

  beforeAll(async () => {
    base = makeSandbox();
    await base.init();
    const r = await base.runP(['worker', 'import', writeCsv(base, 'base.csv', workerCsv(900, 300))]);
    expectOk(r);
    good = base.vault;
  });
  afterAll(() => base.cleanup());

  /** A copy of the populated vault (closed, so no -wal/-shm) to damage. */
  function copyOfGood(): string {
    expect(fs.existsSync(good + '-wal')).toBe(false);
    const p = path.join(base.dir, `copy-${++counter}.db`);
    fs.copyFileSync(good, p);
    return p;
  }

  const notWrongPassphrase = (r: RunResult) => {
    expect(r.stderr).not.toMatch(/passphrase/iu);
  };

  it('the intact vault opens (control)', async () => {
    const v = copyOfGood();
    expect(await countWorkers(base, v)).toBe(300);
  });

  it('a vault truncated to half its size: exit 4, not "wrong passphrase"', async () => {
    const v = copyOfGood();
    fs.truncateSync(v, Math.floor(fs.statSync(v).size / 2));
    for (const args of [['worker', 'list', '--json'], ['unlock'], ['worker', 'add', '--first-name', 'Tjitske', '--last-name', 'Boersma']]) {
      const r = await base.runP([...args, '--vault', v]);
      expectCleanError(r, 4, /damaged|corrupt|not a schuilnaam vault/iu);
      notWrongPassphrase(r);
    }
    const verify = await base.runP(['verify', '--json', '--vault', v]);
    if (verify.exitCode === 1) expect(json<{ ok: boolean }>(verify).ok).toBe(false);
    else expectCleanError(verify, 4);
  });

  it('a file of random bytes: exit 4, not "wrong passphrase"', async () => {
    const v = path.join(base.dir, 'random.db');
    fs.writeFileSync(v, randomBytes(64 * 1024));
    const before = fs.readFileSync(v);
    for (const args of [['worker', 'list'], ['verify', '--json'], ['unlock']]) {
      const r = await base.runP([...args, '--vault', v]);
      expectCleanError(r, 4, /damaged|corrupt|not a schuilnaam vault/iu);
      notWrongPassphrase(r);
    }
    expect(fs.readFileSync(v).equals(before)).toBe(true);
  });

  it('a plain SQLite database that is not a vault: exit 4, and its bytes stay the same', async () => {
    const v = path.join(base.dir, 'agenda.db');
    const db = new Database(v);
    db.exec("CREATE TABLE afspraken (id INTEGER PRIMARY KEY, wanneer TEXT, wat TEXT); INSERT INTO afspraken (wanneer, wat) VALUES ('2026-01-05', 'teamoverleg'), ('2026-01-06', 'intervisie');");
    db.close();
    const before = fs.readFileSync(v);
    const siblings = () => fs.readdirSync(base.dir).filter((n) => n.startsWith('agenda.db')).sort();
    for (const args of [['worker', 'list'], ['worker', 'add', '--first-name', 'Tjitske', '--last-name', 'Boersma'], ['verify'], ['unlock'], ['lock']]) {
      const r = await base.runP([...args, '--vault', v]);
      expectCleanError(r, 4, /not a schuilnaam vault/u);
      notWrongPassphrase(r);
    }
    expect(fs.readFileSync(v).equals(before), 'the foreign database was modified').toBe(true);
    expect(siblings()).toEqual(['agenda.db']);
    const check = new Database(v, { readonly: true });
    try {
      expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(check.prepare('SELECT count(*) AS n FROM afspraken').get()).toEqual({ n: 2 });
    } finally {
      check.close();
    }
  });

  it('a vault from a newer version: exit 4 naming both versions, file untouched', async () => {
    // The current version, read from a fresh vault.
    const fresh = makeSandbox();
    let current: number;
    try {
      await fresh.init();
      const db = new Database(fresh.vault, { readonly: true });
      current = db.pragma('user_version', { simple: true }) as number;
      db.close();
    } finally {
      fresh.cleanup();
    }
    expect(current).toBeGreaterThan(0);
    const future = current + 5;

    const v = copyOfGood();
    const db = new Database(v);
    db.pragma(`user_version = ${future}`);
    db.close();
    expect(fs.existsSync(v + '-wal')).toBe(false);
    const before = fs.readFileSync(v);

    for (const args of [['worker', 'list'], ['worker', 'add', '--first-name', 'Tjitske', '--last-name', 'Boersma'], ['verify', '--json']]) {
      const r = await base.runP([...args, '--vault', v]);
      expectCleanError(r, 4);
      notWrongPassphrase(r);
      const message = r.stderr.split(v).join('<vault>');
      expect(message).toMatch(new RegExp(`\\b${future}\\b`, 'u'));
      expect(message).toMatch(new RegExp(`\\b${current}\\b`, 'u'));
    }
    expect(fs.readFileSync(v).equals(before), 'the newer vault was modified').toBe(true);
    const check = new Database(v, { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(future);
    } finally {
      check.close();
    }
  });

  it('damaged pages in the middle of the workers table: list exits 4, verify reports it (exit 1), never a crash', async () => {
    const v = copyOfGood();
    const db = new Database(v, { readonly: true });
    let pageSize: number;
    let leaves: number[];
    try {
      pageSize = db.pragma('page_size', { simple: true }) as number;
      leaves = (db.prepare("SELECT pageno FROM dbstat WHERE name = 'workers' AND pagetype = 'leaf' ORDER BY pageno").all() as { pageno: number }[]).map((r) => r.pageno);
    } finally {
      db.close();
    }
    expect(leaves.length).toBeGreaterThan(10);
    const fd = fs.openSync(v, 'r+');
    try {
      for (const page of leaves.slice(Math.floor(leaves.length / 2), Math.floor(leaves.length / 2) + 3)) {
        fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (page - 1) * pageSize);
      }
    } finally {
      fs.closeSync(fd);
    }

    const list = await base.runP(['worker', 'list', '--json', '--vault', v]);
    expectCleanError(list, 4, /damaged|corrupt|integrity/iu);
    notWrongPassphrase(list);

    const verify = await base.runP(['verify', '--json', '--vault', v]);
    // verify opens the damaged vault and reports the damage as its finding: exit 1, the report on stdout.
    expect(verify.exitCode, `verify exit code; stderr:\n${verify.stderr}`).toBe(1);
    expect(verify.stderr).toBe('');
    const report = json<{ ok: boolean; problems: string[] }>(verify);
    expect(report.ok).toBe(false);
    expect(report.problems.length).toBeGreaterThan(0);
    for (const p of report.problems) expect(p).toMatch(/damaged|corrupt|malformed/iu);
  });

  it('a vault path that does not exist: exit 2 with a hint to run init', async () => {
    const v = path.join(base.dir, 'nergens', 'vault.db');
    const r = await base.runP(['worker', 'list', '--vault', v]);
    expectCleanError(r, 2, /init/u);
    expect(fs.existsSync(v)).toBe(false);
    expect(fs.existsSync(path.dirname(v))).toBe(false);
  });
});

describe('init killed before the vault is in place', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
  });
  afterEach(() => sb.cleanup());

  it('leaves no vault, only its own 0600 leftover, which the next init removes', async () => {
    const killed = await execa(process.execPath, [BIN, 'init', '--passphrase-file', sb.passFile], {
      env: { ...sb.env, SCHUILNAAM_FAULT: 'created:1' },
      extendEnv: false,
      reject: false,
      cwd: sb.dir,
      stdin: 'ignore',
    });
    expect(killed.signal).toBe('SIGKILL');
    expect(fs.existsSync(sb.vault)).toBe(false);
    const leftovers = fs.readdirSync(sb.dir).filter((n) => n.startsWith('.vault.db.'));
    expect(leftovers.length).toBeGreaterThan(0);
    for (const n of leftovers) {
      expect(n).toMatch(/^\.vault\.db\.\d+\.[0-9a-f]{12}\.creating(-wal|-shm|-journal)?$/u);
      expect(fs.statSync(path.join(sb.dir, n)).mode & 0o077, `${n} is private`).toBe(0);
    }
    // A vault that does not exist is not a vault: commands say so, and nothing opens the leftover.
    expectCleanError(await sb.runP(['worker', 'list']), 2, /no vault/u);
    await sb.init();
    expect(fs.readdirSync(sb.dir).filter((n) => n.startsWith('.vault.db.'))).toEqual([]);
    expectOk(await sb.runP(['verify']));
  });

  it("leaves another init's leftover alone while that process lives", async () => {
    // A leftover named after a live process (this test's own) is not touched.
    const live = path.join(sb.dir, `.vault.db.${process.pid}.0123456789ab.creating`);
    fs.writeFileSync(live, '', { mode: 0o600 });
    await sb.init();
    expect(fs.existsSync(live)).toBe(true);
  });
});

describe('init over an existing vault', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
  });
  afterEach(() => sb.cleanup());

  it('refuses with exit 2 and leaves the vault as it was', async () => {
    await sb.init();
    const add = await sb.runP(['worker', 'add', '--first-name', 'Wietske', '--prefix', 'de', '--last-name', 'Jongsma', '--json']);
    expectOk(add);
    const id = json<{ id: string }>(add).id;
    const before = fs.readFileSync(sb.vault);

    const again = await sb.runP(['init']);
    expectCleanError(again, 2, /exists/u);

    const other = path.join(sb.dir, 'andere-pass.txt');
    fs.writeFileSync(other, 'een heel ander wachtwoord voor de kluis\n', { mode: 0o600 });
    const withOther = await sb.run(['init', '--passphrase-file', other, '--json']);
    expectCleanError(withOther, 2, /exists/u);

    expect(fs.readFileSync(sb.vault).equals(before), 'the existing vault was modified').toBe(true);
    expect(fs.readdirSync(sb.dir).filter((n) => n.includes('vault.db'))).toEqual(['vault.db']);
    const show = await sb.runP(['worker', 'show', id, '--json']);
    expectOk(show);
    expect(json<WorkerJson>(show)).toMatchObject({ first_name: 'Wietske', prefix: 'de', last_name: 'Jongsma' });
    const wrong = await sb.run(['worker', 'list', '--passphrase-file', other]);
    expectCleanError(wrong, 3, /wrong passphrase/u);
  });
});

describe('SIGKILL in the middle of an import', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
  });
  afterEach(() => sb.cleanup());

  // The process kills itself at exact points (SCHUILNAAM_FAULT, src/fault.ts):
  // after the first row, half-way, after the last row (all inside the
  // transaction), and just after the commit. No timers, so the same moments
  // are tested on a fast machine and on a loaded one.
  it('leaves either all rows or none, and a vault that verifies', async () => {
    const ROWS = 400;
    await sb.init();
    const killAt = ['imported:1', `imported:${ROWS / 2}`, `imported:${ROWS}`, 'committed:1'];
    let count = 0;
    for (const [i, point] of killAt.entries()) {
      const csv = writeCsv(sb, `round-${i}.csv`, workerCsv(i, ROWS));
      const killed = await execa(process.execPath, [BIN, 'worker', 'import', csv, '--json', '--passphrase-file', sb.passFile], {
        env: { ...sb.env, SCHUILNAAM_FAULT: point },
        extendEnv: false,
        reject: false,
        cwd: sb.dir,
        stdin: 'ignore',
      });
      expect(killed.signal, `the run stopped at ${point}`).toBe('SIGKILL');
      expect(killed.stdout, 'nothing printed before the kill').toBe('');
      await expectVerified(sb);
      const now = await countWorkers(sb);
      // Inside the transaction nothing is kept; after the commit, everything.
      expect(now, `after a kill at ${point}`).toBe(point.startsWith('committed') ? count + ROWS : count);
      if (!point.startsWith('committed')) {
        // Nothing of the killed import is left behind (no blind index, no row): it now goes through whole.
        const retry = await sb.runP(['worker', 'import', csv, '--json']);
        expectOk(retry);
        expect(json<{ imported: number }>(retry).imported).toBe(ROWS);
      } else {
        // An import that got through cannot be repeated: its e-mails are taken. Nothing changes.
        expectCleanError(await sb.runP(['worker', 'import', csv]), 2, /e-mail|personnel/u);
      }
      count += ROWS;
      expect(await countWorkers(sb)).toBe(count);
    }
    const report = await expectVerified(sb);
    expect(report.checked?.workers).toBe(count);
  });
});

describe('concurrent writers', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = makeSandbox();
  });
  afterEach(() => sb.cleanup());

  it('two imports and three adds at once: each succeeds or fails cleanly as busy, and the count adds up', async () => {
    await sb.init();
    const a = writeCsv(sb, 'a.csv', workerCsv(101, 1500));
    const b = writeCsv(sb, 'b.csv', workerCsv(102, 1500));
    const jobs: { rows: number; run: ReturnType<typeof spawnCli> }[] = [
      { rows: 1500, run: spawnCli(sb, ['worker', 'import', a, '--json']) },
      { rows: 1500, run: spawnCli(sb, ['worker', 'import', b, '--json']) },
      ...['Gerrit', 'Hiske', 'Jildou'].map((first, i) => ({
        rows: 1,
        run: spawnCli(sb, ['worker', 'add', '--first-name', first, '--last-name', 'Tolsma', '--email', `${first.toLowerCase()}.tolsma@jeugdzorg-test.nl`, '--employee-no', `C-0000${i}`, '--json']),
      })),
    ];
    const results = await Promise.all(jobs.map(async (j) => ({ rows: j.rows, r: asRunResult(await j.run) })));
    let expected = 0;
    for (const { rows, r } of results) {
      if (r.exitCode === 0) {
        expect(r.stderr).toBe('');
        const out = json<{ imported?: number; id?: string }>(r);
        if (rows > 1) expect(out.imported).toBe(rows);
        else expect(out.id).toMatch(/^W-/u);
        expected += rows;
      } else {
        expectCleanError(r, 75, /busy/u);
        expect(r.stderr.split('\n')[0]).toMatch(/busy/u);
      }
    }
    expect(await countWorkers(sb)).toBe(expected);
    await expectVerified(sb);
  });
});

describe('import is all or nothing', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = makeSandbox();
    await sb.init();
    expectOk(await sb.runP(['worker', 'import', writeCsv(sb, 'start.csv', workerCsv(7, 5))]));
  });
  afterEach(() => sb.cleanup());

  it('an invalid e-mail on line 4: exit 2 naming the line, nothing imported', async () => {
    const csv = writeCsv(
      sb,
      'bad-email.csv',
      [
        HEADER,
        'Sietske,,Hoornstra,,s.hoornstra@jeugdzorg-test.nl,06-51234501,JB-88001,Team Noord',
        'Rinse,van der,Ploeg,,r.vanderploeg@jeugdzorg-test.nl,06-51234502,JB-88002,Team Noord',
        'Baukje,de,Wolff,,baukje.dewolff@@jeugdzorg-test,06-51234503,JB-88003,Team Zuid',
        'Oebele,,Hiemstra,,o.hiemstra@jeugdzorg-test.nl,06-51234504,JB-88004,Team Zuid',
      ].join('\n') + '\n',
    );
    const r = await sb.runP(['worker', 'import', csv]);
    expectCleanError(r, 2, /line 4\b/u);
    expect(r.stderr).toMatch(/e-?mail/iu);
    expect(r.stderr, 'the error names the field, not its value').not.toContain('baukje.dewolff');
    expect(await countWorkers(sb)).toBe(5);
  });

  it('the same e-mail twice in one file: exit 2 naming both lines, nothing imported', async () => {
    const csv = writeCsv(
      sb,
      'dup.csv',
      [
        HEADER,
        'Sietske,,Hoornstra,,s.hoornstra@jeugdzorg-test.nl,06-51234501,JB-88001,Team Noord',
        'Rinse,van der,Ploeg,,R.vanderPloeg@jeugdzorg-test.nl,06-51234502,JB-88002,Team Noord',
        'Baukje,de,Wolff,,b.dewolff@jeugdzorg-test.nl,06-51234503,JB-88003,Team Zuid',
        'Oebele,,Hiemstra,,o.hiemstra@jeugdzorg-test.nl,06-51234504,JB-88004,Team Zuid',
        'Romke,van der,Ploeg,,r.vanderploeg@jeugdzorg-test.nl,06-51234505,JB-88005,Team Zuid',
      ].join('\n') + '\n',
    );
    const r = await sb.runP(['worker', 'import', csv]);
    expectCleanError(r, 2);
    expect(r.stderr).toMatch(/line 6\b/u);
    expect(r.stderr).toMatch(/line 3\b/u);
    expect(r.stderr.toLowerCase()).not.toContain('r.vanderploeg@');
    expect(await countWorkers(sb)).toBe(5);
  });

  it("an e-mail that an existing worker already has: exit 2, nothing imported", async () => {
    const taken = json<WorkerJson[]>(await sb.runP(['worker', 'list', '--json']))[2]!.email!;
    const csv = writeCsv(
      sb,
      'taken.csv',
      [HEADER, 'Sietske,,Hoornstra,,s.hoornstra@jeugdzorg-test.nl,,,', `Rinse,,Ploeg,,${taken.toUpperCase()},,,`].join('\n') + '\n',
    );
    const r = await sb.runP(['worker', 'import', csv]);
    expectCleanError(r, 2, /line 3\b/u);
    expect(await countWorkers(sb)).toBe(5);
  });

  it('a BOM, ";" separators and quoted fields with separators inside import correctly', async () => {
    const text =
      '\ufefffirst_name;prefix;last_name;initials;email;phone;employee_no;team\r\n' +
      '"Anne-Marie";"van \'t";"Hoekstra-Öztürk";"A.M.";"am.hoekstra@jeugdzorg-test.nl";"06-1234 5678";"JB-77001";"Team Noord; locatie Zwolle"\r\n' +
      'Wessel;van der;Meer;;w.vandermeer@jeugdzorg-test.nl;+31 6 8765 4321;JB-77002;"Team ""Zuid"", Eindhoven"\r\n' +
      '"Chloë";;"Jansen-Smit";;"c.jansensmit@jeugdzorg-test.nl";;;"Team West"\r\n';
    const csv = writeCsv(sb, 'hr-export-nl.csv', text);
    const r = await sb.runP(['worker', 'import', csv, '--json']);
    expectOk(r);
    const out = json<{ imported: number; ids: string[] }>(r);
    expect(out.imported).toBe(3);
    expect(out.ids).toHaveLength(3);

    const list = await sb.runP(['worker', 'list', '--json']);
    expectOk(list);
    const all = json<WorkerJson[]>(list);
    expect(all).toHaveLength(8);
    const byId = new Map(all.map((w) => [w.id, w]));
    expect(byId.get(out.ids[0]!)).toEqual({
      id: out.ids[0],
      first_name: 'Anne-Marie',
      prefix: "van 't",
      last_name: 'Hoekstra-Öztürk',
      initials: 'A.M.',
      email: 'am.hoekstra@jeugdzorg-test.nl',
      phone: '06-1234 5678',
      employee_no: 'JB-77001',
      team: 'Team Noord; locatie Zwolle',
      status: 'active',
    });
    expect(byId.get(out.ids[1]!)).toMatchObject({
      first_name: 'Wessel',
      prefix: 'van der',
      last_name: 'Meer',
      initials: 'W.',
      email: 'w.vandermeer@jeugdzorg-test.nl',
      phone: '+31 6 8765 4321',
      employee_no: 'JB-77002',
      team: 'Team "Zuid", Eindhoven',
    });
    expect(byId.get(out.ids[2]!)).toMatchObject({
      first_name: 'Chloë',
      prefix: null,
      last_name: 'Jansen-Smit',
      initials: 'C.',
      email: 'c.jansensmit@jeugdzorg-test.nl',
      phone: null,
      employee_no: null,
    });
    expect(byId.get(out.ids[2]!)!.team).toBe('Team West');
    await expectVerified(sb);
  });
});
