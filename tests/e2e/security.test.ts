// Security properties of the built CLI, checked from the outside: no plaintext
// identity data in any file the tool writes, file modes, sessions, integrity of
// moved ciphertext, passphrase handling and the shipped key-derivation cost.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { execa, type ResultPromise } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, PASSPHRASE, json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk, type WorkerJson } from '../helpers/expect.js';
import { openAsAttacker } from '../helpers/tamper.js';
import { systemRandom } from '../../src/crypto/random.js';
import { VaultFile } from '../../src/vault/vault.js';

// ---------------------------------------------------------------------------
// helpers

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function octal(m: number): string {
  return '0' + m.toString(8);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the CLI through `sh` with a given umask, so files it creates get that umask. */
function spawnWithUmask(sb: Sandbox, umask: string, args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): ResultPromise {
  return execa('sh', ['-c', `umask ${umask}; exec "$0" "$@"`, process.execPath, BIN, ...args], {
    env: sb.env,
    extendEnv: false,
    reject: false,
    cwd: sb.dir,
    timeout: 30_000,
    stripFinalNewline: false,
    stdin,
  });
}

async function runWithUmask(sb: Sandbox, umask: string, args: string[]): Promise<RunResult> {
  const r = await spawnWithUmask(sb, umask, args);
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? -1 };
}

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (cond()) return true;
    await sleep(20);
  }
  return cond();
}

function sessionFiles(sb: Sandbox): string[] {
  const dir = path.join(sb.runtime, 'schuilnaam');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((n) => path.join(dir, n))
    .filter((f) => fs.statSync(f).isFile());
}

async function addWorker(sb: Sandbox, args: string[]): Promise<string> {
  const r = await sb.runP(['worker', 'add', ...args, '--json']);
  expectOk(r);
  return json<{ id: string }>(r).id;
}

// ---------------------------------------------------------------------------
// plaintext search over raw bytes

/** Every spelling of a needle worth looking for: lower-cased, diacritics folded, phone numbers as bare digits. */
function needleForms(value: string, kind: 'name' | 'email' | 'phone' | 'employee'): string[] {
  const forms = new Set<string>([value]);
  const folded = value.normalize('NFD').replace(/\p{M}/gu, '');
  forms.add(folded);
  if (kind === 'email') forms.add(value.split('@')[0]!);
  if (kind === 'phone') {
    const digits = value.replace(/\D/gu, '');
    forms.add(digits);
    if (digits.startsWith('31')) forms.add('0' + digits.slice(2));
    if (digits.startsWith('0')) forms.add('31' + digits.slice(1));
  }
  if (kind === 'employee') {
    const digits = value.replace(/\D/gu, '');
    if (digits.length >= 6) forms.add(digits);
    forms.add(value.replace(/[\s.\-/]/gu, ''));
  }
  return [...forms].map((f) => f.toLowerCase());
}

/** Which needles occur in the bytes, case-insensitively, read as UTF-8, as Latin-1 and as UTF-16LE. */
function needlesIn(bytes: Buffer, needles: string[]): string[] {
  const asUtf8 = bytes.toString('utf8').toLowerCase();
  const asLatin1 = bytes.toString('latin1').toLowerCase();
  const asUtf16 = bytes.toString('utf16le').toLowerCase();
  return needles.filter((n) => {
    const nLatin1 = Buffer.from(n, 'utf8').toString('latin1').toLowerCase();
    return asUtf8.includes(n) || asLatin1.includes(nLatin1) || asUtf16.includes(n);
  });
}

// ---------------------------------------------------------------------------

let sb: Sandbox;
const extra: Sandbox[] = [];
beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => {
  sb.cleanup();
  for (const s of extra.splice(0)) s.cleanup();
});

describe('no plaintext identity data at rest', () => {
  it('leaves no name, e-mail, phone or personnel number in any file it writes', async () => {
    interface Person {
      first: string;
      prefix: string;
      last: string;
      email: string;
      phone: string;
      no: string;
      team: string;
    }
    const added: Person[] = [
      { first: 'Sanne', prefix: 'van der', last: 'Wijngaarden', email: 's.vanderwijngaarden@jeugdzorg-test.nl', phone: '06-41234567', no: 'JB-204518', team: 'Team Noord' },
      { first: 'Mehmet', prefix: '', last: 'Özdemir', email: 'mehmet.ozdemir@jeugdzorg-test.nl', phone: '+31 6 5298 7731', no: 'JB-204519', team: 'Team Noord' },
      { first: 'Chloë', prefix: "van 't", last: 'Hoogeveen', email: 'c.vanthoogeveen@jeugdzorg-test.nl', phone: '020-5557314', no: 'JB-204520', team: 'Team Zuid' },
      { first: 'Marieke', prefix: '', last: 'Jansen-Smit', email: 'marieke.jansensmit@jeugdzorg-test.nl', phone: '06 1987 6543', no: 'PN 733105', team: 'Team West' },
    ];
    const imported: Person[] = [
      { first: 'Joëlle', prefix: 'van der', last: 'Heijden-Kamphuis', email: 'j.heijdenkamphuis@jeugdzorg-test.nl', phone: '0031 6 2345 6781', no: 'JB-204601', team: 'Team Oost' },
      { first: 'Kwabena', prefix: '', last: 'Asantewaa', email: 'kwabena.asantewaa@jeugdzorg-test.nl', phone: '0612398745', no: 'JB-204602', team: 'Team Oost' },
      { first: 'Femke', prefix: 'de', last: 'Bloemendaal', email: 'femke.debloemendaal@jeugdzorg-test.nl', phone: '06-38291746', no: 'JB-204603', team: 'Team Zuid' },
      { first: 'Siebrand', prefix: "van 't", last: 'Zandvoort-Çelik', email: 's.zandvoort@jeugdzorg-test.nl', phone: '+31 20 555 8862', no: 'JB-204604', team: 'Team West' },
    ];
    const newEmail = 'sanne.wijngaarden-nieuw@jeugdzorg-test.nl';

    // Inputs the tool reads but never writes: excluded from the scan, used for the sanity check.
    const csvPath = path.join(sb.dir, 'hr-export.csv');
    const q = (s: string) => `"${s.replace(/"/gu, '""')}"`;
    fs.writeFileSync(
      csvPath,
      'first_name,prefix,last_name,initials,email,phone,employee_no,team\n' +
        imported.map((p) => [p.first, p.prefix, p.last, '', p.email, p.phone, p.no, p.team].map(q).join(',')).join('\n') +
        '\n',
    );
    const referencePath = path.join(sb.dir, 'reference-input.txt'); // what an HR admin typed, never given to the tool as a file
    fs.writeFileSync(
      referencePath,
      added.map((p) => [p.first.toUpperCase(), p.prefix, p.last, p.email, p.phone, p.no].join(' | ')).join('\n') + `\n${newEmail}\n`,
    );
    const inputs = new Set([csvPath, referencePath, sb.passFile]);

    const needlesOf = (p: Person): string[] => [
      ...needleForms(p.first, 'name'),
      ...needleForms(p.last, 'name'),
      ...needleForms([p.first, p.prefix, p.last].filter(Boolean).join(' '), 'name'),
      ...needleForms(p.email, 'email'),
      ...needleForms(p.phone, 'phone'),
      ...needleForms(p.no, 'employee'),
    ];
    const needles = [...new Set([...added.flatMap(needlesOf), ...imported.flatMap(needlesOf), ...needleForms(newEmail, 'email')])];
    // Short needles would match random ciphertext by chance.
    for (const n of needles) expect(Buffer.byteLength(n), `needle "${n}" is too short to be meaningful`).toBeGreaterThanOrEqual(5);

    // Sanity: the search finds the values as written in the inputs, whatever their case, so the scan below can fail ...
    const asWritten = (p: Person) => [p.first, p.last, p.email, p.phone, p.no].map((v) => v.toLowerCase());
    const inCsv = needlesIn(fs.readFileSync(csvPath), needles);
    for (const n of imported.flatMap(asWritten)) expect(inCsv, `sanity: "${n}" in the CSV`).toContain(n);
    const inReference = needlesIn(fs.readFileSync(referencePath), needles);
    for (const n of added.flatMap(asWritten)) expect(inReference, `sanity: "${n}" in the typed input`).toContain(n);
    // ... and every derived form (digits only, diacritics folded) in upper case, in UTF-8 and UTF-16.
    const upper = needles.map((n) => n.toUpperCase()).join('\n');
    expect(needlesIn(Buffer.from(upper, 'utf8'), needles)).toEqual(needles);
    expect(needlesIn(Buffer.from(upper, 'utf16le'), needles)).toEqual(needles);

    // --- a realistic session
    await sb.init();
    // A second connection keeps SQLite from deleting -wal/-shm between commands, so they get scanned too.
    const watcher = new Database(sb.vault, { fileMustExist: true });
    try {
      watcher.pragma('user_version');
      const ids: string[] = [];
      for (const p of added) {
        ids.push(
          await addWorker(sb, [
            '--first-name', p.first,
            ...(p.prefix ? ['--prefix', p.prefix] : []),
            '--last-name', p.last,
            '--email', p.email,
            '--phone', p.phone,
            '--employee-no', p.no,
            '--team', p.team,
          ]),
        );
      }
      const imp = await sb.runP(['worker', 'import', csvPath, '--json']);
      expectOk(imp);
      expect(json<{ imported: number; ids: string[] }>(imp).imported).toBe(imported.length);

      const list = await sb.runP(['worker', 'list', '--json']);
      expectOk(list);
      const listed = json<WorkerJson[]>(list);
      expect(listed.map((w) => w.last_name)).toEqual([...added, ...imported].map((p) => p.last));
      expect(listed[1]!.last_name).toBe('Özdemir');
      expect(listed[2]!.first_name).toBe('Chloë');
      expect(listed[2]!.prefix).toBe("van 't");

      const show = await sb.runP(['worker', 'show', ids[0]!]);
      expectOk(show);
      expect(show.stdout).toContain('Wijngaarden');

      expectOk(await sb.runP(['worker', 'update', ids[0]!, '--email', newEmail]));
      const off = await sb.runP(['worker', 'offboard', ids[3]!, '--yes']);
      expectOk(off);

      const unlock = await sb.runP(['unlock']);
      expectOk(unlock);
      const token = unlock.stdout.trim();
      expect(token).not.toBe('');
      expect(unlock.stdout.trim().split('\n')).toHaveLength(1);
      const session = { env: { SCHUILNAAM_SESSION: token } };

      const list2 = await sb.run(['worker', 'list', '--json'], session);
      expectOk(list2);
      const byId = new Map(json<WorkerJson[]>(list2).map((w) => [w.id, w]));
      expect(byId.get(ids[0]!)!.email).toBe(newEmail);
      expect(byId.get(ids[3]!)).toMatchObject({ status: 'offboarded', first_name: null, last_name: null, email: null, phone: null, employee_no: null });
      expectOk(await sb.run(['worker', 'show', ids[1]!, '--json'], session));

      const scan = (when: string) => {
        const scanned: string[] = [];
        for (const file of sb.files()) {
          if (inputs.has(file)) continue;
          scanned.push(path.relative(sb.dir, file));
          const found = needlesIn(fs.readFileSync(file), needles);
          expect(found, `${when}: plaintext identity data in ${path.relative(sb.dir, file)}`).toEqual([]);
        }
        return scanned;
      };

      // While the session is open (session file present) ...
      const during = scan('during the session');
      expect(during).toContain('vault.db');
      expect(during).toContain('vault.db-wal');
      expect(during).toContain('vault.db-shm');
      expect(during.some((f) => f.startsWith(path.join('run', 'schuilnaam')))).toBe(true);

      expectOk(await sb.run(['lock'], session));
      const verify = await sb.runP(['verify', '--json']);
      expectOk(verify);
      expect(json<{ ok: boolean }>(verify).ok).toBe(true);

      // ... and after it ended.
      const after = scan('after lock');
      expect(after).toContain('vault.db');
    } finally {
      watcher.close();
    }
    // Once the last connection is gone SQLite folds the WAL into the main file; scan that too.
    for (const file of sb.files()) {
      if (inputs.has(file)) continue;
      expect(needlesIn(fs.readFileSync(file), needles), `after close: ${path.relative(sb.dir, file)}`).toEqual([]);
    }
  });
});

describe('file permissions', () => {
  for (const umask of ['000', '022']) {
    it(`vault, -wal and -shm are 0600 and the session folder 0700 under umask ${umask}`, async () => {
      const init = await runWithUmask(sb, umask, ['init', '--passphrase-file', sb.passFile]);
      expect(init.exitCode, init.stderr).toBe(0);
      expect(octal(mode(sb.vault))).toBe('0600');

      // A write whose passphrase comes from stdin: while it waits, the vault is open and -wal/-shm exist.
      const child = spawnWithUmask(sb, umask, ['worker', 'add', '--first-name', 'Roosmarijn', '--last-name', 'Vlietstra', '--passphrase-file', '-'], 'pipe');
      const wal = sb.vault + '-wal';
      const shm = sb.vault + '-shm';
      const appeared = await waitFor(() => fs.existsSync(wal) && fs.existsSync(shm), 15_000);
      let walMode = -1;
      let shmMode = -1;
      if (appeared) {
        walMode = mode(wal);
        shmMode = mode(shm);
      }
      child.stdin!.end(PASSPHRASE + '\n');
      const add = await child;
      expect(add.exitCode, String(add.stderr)).toBe(0);
      expect(String(add.stdout)).toMatch(/^W-\S+\n$/u);
      expect(appeared, 'the -wal and -shm files appeared while the write was running').toBe(true);
      expect(octal(walMode), 'vault.db-wal').toBe('0600');
      expect(octal(shmMode), 'vault.db-shm').toBe('0600');
      expect(octal(mode(sb.vault))).toBe('0600');
      for (const f of [wal, shm]) if (fs.existsSync(f)) expect(octal(mode(f)), f).toBe('0600');

      const unlock = await runWithUmask(sb, umask, ['unlock', '--passphrase-file', sb.passFile]);
      expect(unlock.exitCode, unlock.stderr).toBe(0);
      const dir = path.join(sb.runtime, 'schuilnaam');
      expect(octal(mode(dir)), dir).toBe('0700');
      const files = sessionFiles(sb);
      expect(files).toHaveLength(1);
      expect(octal(mode(files[0]!)), 'session file').toBe('0600');
    });
  }

  it('tightens an existing session folder that others can read', async () => {
    await sb.init();
    const dir = path.join(sb.runtime, 'schuilnaam');
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o755);
    const unlock = await sb.runP(['unlock']);
    expectOk(unlock);
    expect(octal(mode(dir))).toBe('0700');
    expect(octal(mode(sessionFiles(sb)[0]!))).toBe('0600');
  });

  it('a vault folder it creates is private too', async () => {
    const vault = path.join(sb.dir, 'nieuw', 'diep', 'vault.db');
    const r = await runWithUmask(sb, '000', ['init', '--vault', vault, '--passphrase-file', sb.passFile]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(octal(mode(vault))).toBe('0600');
    expect(octal(mode(path.dirname(vault)))).toBe('0700');
  });
});

describe('sessions', () => {
  async function unlock(ttl?: string, vault?: string): Promise<string> {
    const r = await sb.runP(['unlock', ...(ttl ? ['--ttl', ttl] : []), ...(vault ? ['--vault', vault] : [])]);
    expectOk(r);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    expect(lines, 'unlock prints only the token').toHaveLength(1);
    return lines[0]!;
  }

  it('keeps only wrapped keys in a JSON session file, which lock removes', async () => {
    await sb.init();
    await addWorker(sb, ['--first-name', 'Ingeborg', '--last-name', 'Terpstra', '--email', 'i.terpstra@jeugdzorg-test.nl']);
    const token = await unlock();
    const files = sessionFiles(sb);
    expect(files).toHaveLength(1);
    const text = fs.readFileSync(files[0]!, 'utf8');
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(typeof parsed).toBe('object');
    // Neither the token, nor its secret half, nor the passphrase is in the file.
    expect(text).not.toContain(token);
    // The token is "sns1_" + base64url(16-byte id + 32-byte secret); base64url itself may contain "_".
    expect(token).toMatch(/^sns1_[A-Za-z0-9_-]{64}$/u);
    const body = token.slice('sns1_'.length);
    expect(text).not.toContain(body);
    expect(text).not.toContain(body.slice(-22));
    const raw = Buffer.from(body, 'base64url');
    expect(raw).toHaveLength(48);
    {
      const secret = raw.subarray(16);
      for (const form of [secret.toString('hex'), secret.toString('base64'), secret.toString('base64url'), secret.subarray(0, 16).toString('hex'), secret.subarray(16).toString('hex')]) {
        expect(text).not.toContain(form);
      }
    }
    expect(text).not.toContain(PASSPHRASE);
    expect(needlesIn(Buffer.from(text), ['ingeborg', 'terpstra', 'i.terpstra@jeugdzorg-test.nl'])).toEqual([]);

    // The session works ...
    const list = await sb.run(['worker', 'list', '--json'], { env: { SCHUILNAAM_SESSION: token } });
    expectOk(list);
    expect(json<WorkerJson[]>(list)[0]!.last_name).toBe('Terpstra');

    // ... until lock, which removes the file.
    const lock = await sb.run(['lock'], { env: { SCHUILNAAM_SESSION: token } });
    expectOk(lock);
    expect(sessionFiles(sb)).toEqual([]);
    const after = await sb.run(['worker', 'list'], { env: { SCHUILNAAM_SESSION: token } });
    expectCleanError(after, 3, /ended|expired|locked/u);
  });

  it('refuses a token with one character changed', async () => {
    await sb.init();
    const token = await unlock();
    const flip = (t: string, at: number) => t.slice(0, at) + (t[at] === 'A' ? 'B' : 'A') + t.slice(at + 1);
    // Near the end (the secret) and in the middle (the part naming the session).
    for (const at of [token.length - 3, Math.floor(token.length / 2), token.indexOf('_') + 2]) {
      const bad = flip(token, at);
      expect(bad).not.toBe(token);
      const r = await sb.run(['worker', 'list', '--json'], { env: { SCHUILNAAM_SESSION: bad } });
      expectCleanError(r, 3);
    }
    // The real token still works afterwards.
    expectOk(await sb.run(['worker', 'list', '--json'], { env: { SCHUILNAAM_SESSION: token } }));
  });

  it('refuses an expired session', async () => {
    await sb.init();
    // Made by the vault service in-process with a clock 10 minutes back and a
    // 5-minute lifetime: expired now, without waiting for it (the CLI has no clock to set).
    const deps = { clock: () => new Date(Date.now() - 10 * 60_000), random: systemRandom, kdfProfile: 'owasp-floor' as const };
    const v = (await VaultFile.open(sb.vault, deps)).unlockWithPassphrase(new TextEncoder().encode(PASSPHRASE));
    let token: string;
    try {
      token = v.createSession(path.join(sb.runtime, 'schuilnaam'), 5 * 60_000).token;
    } finally {
      v.close();
    }
    expect(sessionFiles(sb)).toHaveLength(1);
    const r = await sb.run(['worker', 'list', '--json'], { env: { SCHUILNAAM_SESSION: token } });
    expectCleanError(r, 3, /^schuilnaam: error: the session has expired\n/u);
    expect(sessionFiles(sb)).toEqual([]);
  });

  it("refuses another vault's session token", async () => {
    await sb.init();
    await addWorker(sb, ['--first-name', 'Gerdientje', '--last-name', 'Hofstede']);
    const other = path.join(sb.dir, 'other.db');
    const init = await sb.runP(['init', '--vault', other]);
    expectOk(init);
    const token = await unlock(undefined, other);
    // The token works on its own vault ...
    expectOk(await sb.run(['worker', 'list', '--json', '--vault', other], { env: { SCHUILNAAM_SESSION: token } }));
    // ... but not on this one, even with both sessions in the same runtime folder.
    const r = await sb.run(['worker', 'list', '--json'], { env: { SCHUILNAAM_SESSION: token } });
    expectCleanError(r, 3);
    expect(r.stderr).not.toContain('Hofstede');
  });
});

describe('ciphertext moved within the vault', () => {
  const A = { first: 'Hendrika', last: 'Oosterbroek', email: 'h.oosterbroek@jeugdzorg-test.nl', phone: '06-71234590' };
  const B = { first: 'Leendert', last: 'Wagenvoort', email: 'l.wagenvoort@jeugdzorg-test.nl', phone: '06-71234591' };

  async function twoWorkers(): Promise<{ a: string; b: string }> {
    await sb.init();
    const add = (p: typeof A) =>
      addWorker(sb, ['--first-name', p.first, '--last-name', p.last, '--email', p.email, '--phone', p.phone, '--employee-no', `JB-${p.phone.slice(-6)}`]);
    return { a: await add(A), b: await add(B) };
  }

  /** Edits the vault file directly (no CLI process is running). */
  function tamper(fn: (db: Database.Database) => void): void {
    const db = openAsAttacker(sb.vault);
    try {
      db.transaction(() => fn(db))();
    } finally {
      db.close();
    }
  }

  function swap(db: Database.Database, column: string, a: string, b: string): void {
    const get = db.prepare(`SELECT ${column} AS v FROM workers WHERE id = ?`);
    const va = (get.get(a) as { v: Buffer }).v;
    const vb = (get.get(b) as { v: Buffer }).v;
    expect(Buffer.isBuffer(va) && Buffer.isBuffer(vb)).toBe(true);
    const set = db.prepare(`UPDATE workers SET ${column} = ? WHERE id = ?`);
    set.run(vb, a);
    set.run(va, b);
  }

  it('a surname swapped between two workers fails with an integrity error naming the record', async () => {
    const { a, b } = await twoWorkers();
    tamper((db) => swap(db, 'last_name', a, b));

    const show = await sb.runP(['worker', 'show', a]);
    expectCleanError(show, 4, /workers\.last_name/u);
    expect(show.stderr).toContain(a);
    expect(show.stdout).not.toContain(B.last);
    expect(show.stderr).not.toContain(B.last);
    expect(show.stderr).not.toContain(A.last);

    const showJson = await sb.runP(['worker', 'show', a, '--json']);
    expectCleanError(showJson, 4, /workers\.last_name/u);
    expect(showJson.stdout).not.toContain(B.last);

    const list = await sb.runP(['worker', 'list', '--json']);
    expectCleanError(list, 4);
    expect(list.stdout).not.toContain(B.last);

    const verify = await sb.runP(['verify', '--json']);
    expect(verify.exitCode, verify.stderr).toBe(1);
    const report = json<{ ok: boolean; problems: string[] }>(verify);
    expect(report.ok).toBe(false);
    expect(report.problems.some((p) => p.includes(a) && p.includes('workers.last_name'))).toBe(true);
    expect(JSON.stringify(report)).not.toContain(B.last);

    // Putting the blobs back restores the vault: the failure was the move, nothing else.
    tamper((db) => swap(db, 'last_name', a, b));
    const fixed = await sb.runP(['worker', 'show', a, '--json']);
    expectOk(fixed);
    expect(json<WorkerJson>(fixed).last_name).toBe(A.last);
  });

  it("a worker's e-mail ciphertext copied into their phone column fails", async () => {
    const { a } = await twoWorkers();
    tamper((db) => {
      const email = (db.prepare('SELECT email FROM workers WHERE id = ?').get(a) as { email: Buffer }).email;
      db.prepare('UPDATE workers SET phone = ? WHERE id = ?').run(email, a);
    });
    const show = await sb.runP(['worker', 'show', a, '--json']);
    expectCleanError(show, 4, /workers\.phone/u);
    expect(show.stderr).toContain(a);
    expect(show.stderr).not.toContain(A.email);
    const verify = await sb.runP(['verify', '--json']);
    expect(verify.exitCode, verify.stderr).toBe(1);
    expect(json<{ problems: string[] }>(verify).problems.some((p) => p.includes(a) && p.includes('workers.phone'))).toBe(true);
  });

  it('data keys swapped between two workers fail', async () => {
    const { a, b } = await twoWorkers();
    tamper((db) => swap(db, 'data_key', a, b));
    const show = await sb.runP(['worker', 'show', a]);
    expectCleanError(show, 4, /workers\.data_key/u);
    expect(show.stderr).toContain(a);
    const showB = await sb.runP(['worker', 'show', b]);
    expectCleanError(showB, 4, /workers\.data_key/u);
    expect(showB.stdout).not.toContain(A.last);
    const list = await sb.runP(['worker', 'list']);
    expectCleanError(list, 4);
  });
});

describe('passphrase rules', () => {
  it('wrong passphrase: exit 3', async () => {
    await sb.init();
    const wrong = path.join(sb.dir, 'wrong.txt');
    fs.writeFileSync(wrong, 'kabouter plop eet pepernoten\n', { mode: 0o600 });
    const r = await sb.run(['worker', 'list', '--passphrase-file', wrong]);
    expectCleanError(r, 3, /wrong passphrase/u);
  });

  it('no terminal, no passphrase file, no session: exit 3 pointing at --passphrase-file', async () => {
    await sb.init();
    const r = await sb.run(['worker', 'list']);
    expectCleanError(r, 3, /--passphrase-file/u);
  });

  it('--passphrase-file - reads the first line of stdin only', async () => {
    await sb.init();
    const ok = await sb.run(['worker', 'list', '--json', '--passphrase-file', '-'], { input: `${PASSPHRASE}\nsomething else\n` });
    expectOk(ok);
    expect(json(ok)).toEqual([]);
    const second = await sb.run(['worker', 'list', '--json', '--passphrase-file', '-'], { input: `not it at all\n${PASSPHRASE}\n` });
    expectCleanError(second, 3, /wrong passphrase/u);
  });

  it('there is no --passphrase flag', async () => {
    await sb.init();
    for (const args of [
      ['worker', 'list', '--passphrase', PASSPHRASE],
      ['--passphrase', PASSPHRASE, 'worker', 'list'],
      ['unlock', `--passphrase=${PASSPHRASE}`],
    ]) {
      const r = await sb.run(args);
      expectCleanError(r, 2, /--passphrase/u);
    }
  });

  it('the usage error for a passphrase given as --passphrase=VALUE does not repeat the value', async () => {
    await sb.init();
    for (const args of [
      ['unlock', `--passphrase=${PASSPHRASE}`],
      ['worker', 'list', `--password=${PASSPHRASE}`],
    ]) {
      const r = await sb.run(args);
      expectCleanError(r, 2, /--passphrase|--password/u);
      // Terminals get recorded and screen-shared; the error names the option, not the secret.
      expect(r.stderr, 'the error message echoes the passphrase').not.toContain(PASSPHRASE);
    }
  });

  it('a passphrase in an environment variable is ignored', async () => {
    await sb.init();
    const env = { SCHUILNAAM_PASSPHRASE: PASSPHRASE, SCHUILNAAM_PASSWORD: PASSPHRASE, SCHUILNAAM_PASS: PASSPHRASE };
    const list = await sb.run(['worker', 'list'], { env });
    expectCleanError(list, 3);
    const unlock = await sb.run(['unlock'], { env });
    expectCleanError(unlock, 3);
  });

  it('init with a too-short passphrase: exit 2 and no vault', async () => {
    const short = path.join(sb.dir, 'short.txt');
    fs.writeFileSync(short, 'kort\n', { mode: 0o600 });
    const r = await sb.run(['init', '--passphrase-file', short]);
    expectCleanError(r, 2, /short/u);
    expect(fs.existsSync(sb.vault)).toBe(false);
    expect(fs.readdirSync(sb.dir).sort()).toEqual(['home', 'pass.txt', 'short.txt']);
  });
});

describe('shipped key-derivation cost', () => {
  it('init without a test profile uses at least 256 MiB and 3 passes, and stores them', async () => {
    const r = await sb.run(['init', '--passphrase-file', sb.passFile, '--json'], { env: { SCHUILNAAM_KDF_PROFILE: undefined } });
    expectOk(r);
    const out = json<{ kdf: { memlimit: number; opslimit: number } }>(r);
    expect(out.kdf.memlimit).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    expect(out.kdf.opslimit).toBeGreaterThanOrEqual(3);

    const db = new Database(sb.vault, { readonly: true, fileMustExist: true });
    let rows: { kdf: string }[];
    try {
      rows = db.prepare('SELECT kdf FROM keyslots').all() as { kdf: string }[];
    } finally {
      db.close();
    }
    expect(rows).toHaveLength(1);
    const stored = JSON.parse(rows[0]!.kdf) as { memlimit: number; opslimit: number };
    expect(stored.memlimit).toBe(out.kdf.memlimit);
    expect(stored.opslimit).toBe(out.kdf.opslimit);
    expect(stored.memlimit).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    expect(stored.opslimit).toBeGreaterThanOrEqual(3);
  });
});
