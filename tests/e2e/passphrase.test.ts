// Passphrases as bytes (issue #14): a passphrase file or stdin is read as
// bytes, and only valid UTF-8 is a passphrase; a byte order mark is ignored;
// white space alone is refused (file, stdin and the hidden prompt); accents
// count the same in NFC and NFD. And passwd ends the sessions unlocked with
// the old passphrase.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, onTerminal, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';

// Invented; the accented letters make NFC and NFD differ.
const ACCENTED = 'Wietske bakt één crème brûlée';
const NFD = ACCENTED.normalize('NFD');

function writeBytes(sb: Sandbox, name: string, bytes: Uint8Array | string): string {
  const file = path.join(sb.dir, name);
  fs.writeFileSync(file, bytes, { mode: 0o600 });
  return file;
}

const withFile = (file: string) => ['--passphrase-file', file];

describe('passphrase files are read as bytes', () => {
  let sb: Sandbox;
  let nfcFile: string;
  beforeAll(async () => {
    sb = makeSandbox();
    nfcFile = writeBytes(sb, 'nfc.txt', ACCENTED + '\n');
    expectOk(await sb.run(['init', ...withFile(nfcFile)]));
  });
  afterAll(() => sb.cleanup());

  it('the file it was created from opens it (control)', async () => {
    expectOk(await sb.run(['worker', 'list', ...withFile(nfcFile)]));
  });

  it('a binary key file is refused as not UTF-8 (exit 2), not tried as some other passphrase', async () => {
    const key = writeBytes(sb, 'key.bin', Buffer.from([0x8f, 0xff, 0x00, 0xc3, 0x28, 0xfe, 0x9a, 0x10, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80]));
    const r = expectCleanError(await sb.run(['worker', 'list', ...withFile(key)]), 2);
    expect(r.stderr).toBe(`schuilnaam: error: the passphrase file ${key} is not valid UTF-8\nschuilnaam: hint: save it as UTF-8 text (in Notepad: "Save as", encoding UTF-8); the first line is the passphrase, so a binary key file cannot be one\n`);
  });

  it('the same bytes on stdin are refused the same way', async () => {
    const r = expectCleanError(await sb.run(['worker', 'list', '--passphrase-file', '-'], { input: Buffer.from([0xff, 0xfe, 0x41, 0x42, 0x0a]) }), 2);
    expect(r.stderr).toMatch(/^schuilnaam: error: the passphrase file \(stdin\) is not valid UTF-8\n/u);
  });

  it('a Latin-1 file with the same words is refused (exit 2), not "wrong passphrase"', async () => {
    const latin1 = writeBytes(sb, 'latin1.txt', Buffer.from(ACCENTED + '\n', 'latin1'));
    expectCleanError(await sb.run(['worker', 'list', ...withFile(latin1)]), 2, /not valid UTF-8/u);
  });

  it('a file with a UTF-8 byte order mark and CRLF (Notepad) opens the vault', async () => {
    const notepad = writeBytes(sb, 'notepad.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ACCENTED + '\r\nsecond line\r\n', 'utf8')]));
    expectOk(await sb.run(['worker', 'list', ...withFile(notepad)]));
  });

  it('a byte order mark is only ignored at the start: one later in the line is part of the passphrase', async () => {
    const inner = writeBytes(sb, 'inner-bom.txt', `Wietske bakt\uFEFF één crème brûlée\n`);
    expectCleanError(await sb.run(['worker', 'list', ...withFile(inner)]), 3, /wrong passphrase/u);
  });

  it('an NFD file (as macOS may save it) opens the vault made from the NFC passphrase', async () => {
    expect(Buffer.from(NFD)).not.toEqual(Buffer.from(ACCENTED));
    const mac = writeBytes(sb, 'mac.txt', NFD + '\n');
    expectOk(await sb.run(['worker', 'list', ...withFile(mac)]));
  });

  it('a different accent is a different passphrase', async () => {
    const other = writeBytes(sb, 'other.txt', ACCENTED.replace('é', 'è') + '\n');
    expectCleanError(await sb.run(['worker', 'list', ...withFile(other)]), 3, /wrong passphrase/u);
  });

  it('a first line of only white space (any Unicode white space) is refused, also on stdin', async () => {
    for (const [name, blank] of [
      ['spaces.txt', '    \t  '],
      ['nbsp.txt', '\u00a0\u00a0\u3000\u2003'],
      ['nel.txt', '\u0085\u2028 '],
      ['zero-width.txt', '\u200b\ufeff'],
    ] as const) {
      const file = writeBytes(sb, name, blank + '\n' + ACCENTED + '\n');
      const r = expectCleanError(await sb.run(['worker', 'list', ...withFile(file)]), 2);
      expect(r.stderr.split('\n')[0]).toBe(`schuilnaam: error: the passphrase in ${file} is only white space`);
    }
    expectCleanError(await sb.run(['worker', 'list', '--passphrase-file', '-'], { input: ' \u3000 \n' }), 2, /the passphrase in \(stdin\) is only white space/u);
  });

  it('an empty first line is refused as empty', async () => {
    const file = writeBytes(sb, 'empty-first.txt', '\r\n' + ACCENTED + '\n');
    expectCleanError(await sb.run(['worker', 'list', ...withFile(file)]), 2, /is empty/u);
  });

  it('a new passphrase of only white space is refused by init and passwd, and the vault keeps its passphrase', async () => {
    const blank = writeBytes(sb, 'blank-new.txt', ' '.repeat(20) + '\n');
    const other = makeSandbox();
    try {
      expectCleanError(await other.run(['init', ...withFile(blank)]), 2, /new passphrase in .* is only white space/u);
      expect(fs.existsSync(other.vault)).toBe(false);
    } finally {
      other.cleanup();
    }
    expectCleanError(await sb.run(['passwd', ...withFile(nfcFile), '--new-passphrase-file', blank]), 2, /only white space/u);
    expectOk(await sb.run(['worker', 'list', ...withFile(nfcFile)]));
  });

  it('a vault created from an NFD file opens with the NFC passphrase too', async () => {
    const other = makeSandbox();
    try {
      const mac = writeBytes(other, 'mac.txt', NFD + '\n');
      const typed = writeBytes(other, 'typed.txt', ACCENTED + '\n');
      expectOk(await other.run(['init', ...withFile(mac)]));
      expectOk(await other.run(['worker', 'list', ...withFile(typed)]));
      expectOk(await other.run(['worker', 'list', ...withFile(mac)]));
    } finally {
      other.cleanup();
    }
  });
});

// On a real pseudo-terminal (onTerminal): each answer is typed once its prompt shows.
describe('the hidden prompt', () => {
  let sb: Sandbox;
  beforeAll(() => {
    sb = makeSandbox();
  });
  afterAll(() => sb.cleanup());

  it('a vault created by typing the passphrase opens from a Notepad file (BOM, NFD, CRLF) of it', async () => {
    const r = onTerminal(sb, [['Choose a vault passphrase', ACCENTED], ['Type it again', ACCENTED]], ['init']);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain('created');
    const notepad = writeBytes(sb, 'notepad.txt', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NFD + '\r\n', 'utf8')]));
    expectOk(await sb.run(['worker', 'list', ...withFile(notepad)]));
  });

  it('typing only spaces at the prompt is refused with exit 2 before any key derivation', () => {
    const r = onTerminal(sb, [['Passphrase for admin', '      ']], ['worker', 'list']);
    expect(r.exitCode, r.stdout).toBe(2);
    expect(r.stdout).toContain('schuilnaam: error: the passphrase typed is only white space');
    expect(r.stdout).not.toContain('wrong passphrase');
  });

  it('typing the passphrase at the prompt opens it (control)', () => {
    const r = onTerminal(sb, [['Passphrase for admin', ACCENTED]], ['worker', 'list']);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toContain('no workers yet');
  });
});

describe('passwd ends the sessions unlocked with the old passphrase', () => {
  let sb: Sandbox;
  let otherVault: string;
  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    // A second vault whose sessions live in the same session folder.
    otherVault = path.join(sb.dir, 'tweede.db');
    expectOk(await sb.runP(['init', '--vault', otherVault]));
  });
  afterAll(() => sb.cleanup());

  const unlock = async (...extra: string[]) => expectOk(await sb.runP(['unlock', ...extra])).stdout.trim();
  const asSession = (token: string, ...extra: string[]) => sb.run(['worker', 'list', ...extra], { env: { SCHUILNAAM_SESSION: token } });
  const sessionFolder = () => path.join(sb.runtime, 'schuilnaam');
  const sessionFiles = () => fs.readdirSync(sessionFolder()).filter((n) => n.endsWith('.session'));

  it('ends both of the user\'s sessions (exit 3 afterwards, saying why), and says how many', async () => {
    const a = await unlock();
    const [ofA] = sessionFiles();
    const b = await unlock();
    const elsewhere = await unlock('--vault', otherVault);
    // A session of another user of this vault: only one user can exist today,
    // so it is the file of user "admin" with the user changed (it would not
    // open, but passwd must leave it alone).
    const foreign = path.join(sessionFolder(), '00112233445566778899aabbccddeeff.session');
    const f = JSON.parse(fs.readFileSync(path.join(sessionFolder(), ofA!), 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(foreign, JSON.stringify({ ...f, user: 'jeugdzorg-b' }), { mode: 0o600 });
    expectOk(await asSession(a));
    expectOk(await asSession(b));

    const next = writeBytes(sb, 'new.txt', 'zeven zwanen zwemmen zuidwaarts\n');
    const r = expectOk(await sb.runP(['passwd', '--new-passphrase-file', next]));
    expect(r.stdout).toBe('passphrase changed for admin; ended 2 open sessions\n');

    for (const t of [a, b]) {
      const gone = expectCleanError(await asSession(t), 3);
      expect(gone.stderr.split('\n')[0]).toBe('schuilnaam: error: the session has ended: it was locked, it expired, or its passphrase was changed');
    }
    expectOk(await sb.run(['worker', 'list', '--vault', otherVault], { env: { SCHUILNAAM_SESSION: elsewhere } }));
    expect(fs.existsSync(foreign)).toBe(true);
    // The new passphrase unlocks a new session.
    expectOk(await asSession(expectOk(await sb.run(['unlock', '--passphrase-file', next])).stdout.trim()));
    fs.writeFileSync(sb.passFile, 'zeven zwanen zwemmen zuidwaarts\n');
  });

  it('--keep-sessions keeps them, says so, and --json reports the count', async () => {
    const a = await unlock();
    const next = writeBytes(sb, 'newer.txt', 'acht apen aten appeltaart\n');
    const r = expectOk(await sb.runP(['passwd', '--keep-sessions', '--new-passphrase-file', next]));
    expect(r.stdout).toBe('passphrase changed for admin; open sessions were kept (--keep-sessions)\n');
    expectOk(await asSession(a));
    fs.writeFileSync(sb.passFile, 'acht apen aten appeltaart\n');

    const last = writeBytes(sb, 'last.txt', 'negen nijlpaarden nemen nootjes\n');
    const out = json<{ user: string; sessions_ended: number; sessions_kept: boolean }>(expectOk(await sb.runP(['passwd', '--json', '--new-passphrase-file', last])));
    expect(out).toMatchObject({ user: 'admin', sessions_ended: 2, sessions_kept: false });
    expectCleanError(await asSession(a), 3, /passphrase was changed/u);
  });
});
