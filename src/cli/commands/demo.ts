// `schuilnaam demo`: a throwaway vault and a tour of the product. Every step is
// the real CLI in a child process, printed as the command a user would type.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ctx } from '../context.js';

const BIN = fileURLToPath(new URL('../../../bin/schuilnaam.js', import.meta.url));
const DEMO_PASSPHRASE = 'demo: paars konijn fietst naar Zwolle';
const SANNE_PASSPHRASE = 'demo: Sanne kiest haar eigen zin';

// Invented people; any likeness to real caseworkers is accidental.
const DEMO_CSV = `first_name;prefix;last_name;initials;email;phone;employee_no;team
Anne-Marie;van 't;Hoogland;A.M.;am.vanthoogland@jb-voorbeeld.nl;06-41234567;P-10231;Team Noord
Chloë;;Jansen-Smit;;c.jansen-smit@jb-voorbeeld.nl;+31 6 4123 4568;P-10232;Team Zuid
IJsbrand;de;Vries;;i.devries@jb-voorbeeld.nl;020-1234567;P-10233;Team Noord
`;

function quote(arg: string): string {
  if (/^[\w./=:@+-]+$/u.test(arg)) return arg;
  // Single quotes show a typed "\n" as the user would type it.
  if (arg.includes('\\') && !arg.includes("'")) return `'${arg}'`;
  return `"${arg.replace(/(["\\$`])/gu, '\\$1')}"`;
}

class Tour {
  private step = 0;
  constructor(
    private readonly ctx: Ctx,
    private readonly env: NodeJS.ProcessEnv,
    private readonly dir: string,
  ) {}

  heading(text: string): void {
    this.step++;
    this.ctx.term.out(`\n${this.ctx.term.style.bold(`${this.step}. ${text}`)}`);
  }

  say(text: string): void {
    this.ctx.term.out(this.ctx.term.style.dim(text));
  }

  /** Runs the CLI, shows "$ schuilnaam …" and its output; returns stdout. */
  run(args: string[], shown?: string, expectedExit = 0): string {
    this.ctx.term.out(this.ctx.term.style.cyan(`$ ${shown ?? ['schuilnaam', ...args].map(quote).join(' ')}`));
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: this.dir, env: this.env, encoding: 'utf8' });
    if (!shown && r.stdout) this.ctx.term.out(r.stdout.trimEnd());
    if (r.stderr) this.ctx.term.out(r.stderr.trimEnd());
    if (expectedExit !== 0) this.ctx.term.out(this.ctx.term.style.dim(`(exit ${r.status})`));
    if (r.status !== expectedExit) throw new Error(`demo step "schuilnaam ${args.join(' ')}" exited with ${r.status}`);
    return r.stdout.trim();
  }
}

/** A small Word document, built by hand: paragraphs and an author in its properties. */
async function draftDocx(paragraphs: string[], author: string): Promise<Uint8Array> {
  const { zipSync, strToU8 } = await import('fflate');
  const esc = (t: string) => t.replace(/&/gu, '&amp;').replace(/</gu, '&lt;');
  const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`).join('');
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
    ),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="${W}"><w:body>${body}</w:body></w:document>`),
    'docProps/core.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
        `<dc:creator>${esc(author)}</dc:creator><cp:lastModifiedBy>${esc(author)}</cp:lastModifiedBy></cp:coreProperties>`,
    ),
  });
}

export async function demo(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schuilnaam-demo-'));
  const runtime = path.join(dir, 'run');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SCHUILNAAM_VAULT: path.join(dir, 'vault.db'),
    XDG_RUNTIME_DIR: runtime,
    NO_COLOR: '1',
  };
  for (const k of ['SCHUILNAAM_SESSION', 'SCHUILNAAM_USER']) delete env[k];
  fs.mkdirSync(runtime, { mode: 0o700 });
  fs.writeFileSync(path.join(dir, 'pass.txt'), DEMO_PASSPHRASE + '\n', { mode: 0o600 });
  fs.writeFileSync(path.join(dir, 'workers.csv'), DEMO_CSV, { mode: 0o600 });

  const t = new Tour(ctx, env, dir);
  try {
    ctx.term.out(ctx.term.style.bold('schuilnaam demo') + ` — a throwaway vault in ${dir}`);
    t.say(`The demo passphrase is "${DEMO_PASSPHRASE}" (in pass.txt). The people are invented.`);

    t.heading('An HR administrator creates the vault');
    t.run(['init', '--passphrase-file', 'pass.txt']);

    t.heading('Unlock once; the session token goes into the environment');
    const token = t.run(['unlock', '--passphrase-file', 'pass.txt'], 'export SCHUILNAAM_SESSION=$(schuilnaam unlock --passphrase-file pass.txt)');
    env.SCHUILNAAM_SESSION = token;
    t.say('(no passphrase needed for the next 15 minutes)');

    t.heading('Add workers one by one: prefixes, diacritics and double surnames are fine');
    const sanne = t.run(['worker', 'add', '--first-name', 'Sanne', '--prefix', 'van der', '--last-name', 'Wal', '--email', 's.vanderwal@jb-voorbeeld.nl', '--employee-no', 'P-10230', '--team', 'Team Noord']);
    t.run(['worker', 'add', '--first-name', 'Koen', '--last-name', 'Özdemir', '--phone', '06 1234 5678', '--team', 'Team Zuid']);

    t.heading('Or import an export from the HR system (all rows or none)');
    ctx.term.out(ctx.term.style.cyan('$ cat workers.csv'));
    ctx.term.out(DEMO_CSV.trimEnd());
    t.run(['worker', 'import', 'workers.csv']);

    t.heading('List and show workers (only an administrator sees real names)');
    const list = JSON.parse(t.run(['worker', 'list', '--json'], 'schuilnaam worker list --json | jq -r ".[].id"')) as { id: string }[];
    ctx.term.out(list.map((w) => w.id).join('\n'));
    t.run(['worker', 'list']);
    t.run(['worker', 'show', sanne]);
    const koen = list[1]!.id;

    t.heading('Duplicates on e-mail or personnel number are refused');
    ctx.term.out(ctx.term.style.cyan(`$ schuilnaam worker add --first-name Sam --last-name Wal --employee-no P10230`));
    const dup = spawnSync(process.execPath, [BIN, 'worker', 'add', '--first-name', 'Sam', '--last-name', 'Wal', '--employee-no', 'P10230'], {
      cwd: dir,
      env,
      encoding: 'utf8',
    });
    ctx.term.out(`${dup.stderr.trimEnd()}\n(exit ${dup.status})`);

    t.heading('Cases: a reference, a team and a risk level; nothing about the family');
    t.run(['case', 'add', 'JB-2026-0042', '--team', 'Team Noord', '--risk', 'high']);
    t.run(['case', 'add', 'JB-2026-0043', '--team', 'Team Noord']);
    t.run(['case', 'assign', 'JB-2026-0042', sanne]);
    t.run(['case', 'assign', 'JB-2026-0043', sanne]);
    t.run(['case', 'assign', 'JB-2026-0042', koen]);

    t.heading("The team's functional contact details: the only ones a letter may carry");
    t.run(['team', 'set', 'Team Noord', '--phone', '020 555 0100', '--email', 'team-noord@jb-voorbeeld.nl', '--address', 'Postbus 1234\\n1000 AB Amsterdam']);
    t.run(['team', 'set', 'Team Noord', '--email', 's.vanderwal@jb-voorbeld.nl'.replace('voorbeld', 'voorbeeld')], undefined, 2);
    t.say("A worker's own mailbox or number is refused as the team's.");

    t.heading('HR gives Sanne her own account: a one-time code, and she chooses her own passphrase');
    const enrolment = JSON.parse(t.run(['user', 'add', 'sanne', '--role', 'caseworker', '--worker', sanne, '--json'])) as { enrolment_code: string };
    fs.writeFileSync(path.join(dir, 'sanne-code.txt'), `${enrolment.enrolment_code}\n`, { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'sanne-pass.txt'), `${SANNE_PASSPHRASE}\n`, { mode: 0o600 });
    t.say('On her own laptop (here: files instead of the hidden prompts):');
    t.run(['user', 'join', 'sanne', '--code-file', 'sanne-code.txt', '--new-passphrase-file', 'sanne-pass.txt']);
    const adminSession = env.SCHUILNAAM_SESSION;
    env.SCHUILNAAM_USER = 'sanne';
    env.SCHUILNAAM_SESSION = t.run(['unlock', '--passphrase-file', 'sanne-pass.txt'], 'export SCHUILNAAM_USER=sanne SCHUILNAAM_SESSION=$(schuilnaam unlock --passphrase-file sanne-pass.txt)');
    t.run(['whoami']);
    t.run(['worker', 'list'], undefined, 3);
    t.say("Her account holds no key to a colleague's real name: the refusal is cryptographic, not a check in the code.");

    t.heading('Sanne asks for her pseudonym: one per case, stable until rotated');
    const leaked = t.run(['pseudonym', 'get', '--case', 'JB-2026-0042']);
    t.run(['pseudonym', 'get', '--case', 'JB-2026-0042', '--json']);
    t.run(['pseudonym', 'get', '--case', 'JB-2026-0043']);
    t.say('Another case, another name: families in one closed group cannot link their cases. Without --worker, it is her own.');
    t.run(['pseudonym', 'get', '--case', 'JB-2026-0042', '--worker', koen, '--style', 'code']);
    t.say('Some teams sign with a code; its last character is a check character, so a mistyped code is caught.');

    t.heading('She invites the parents to a meeting at the police station, as Word and as PDF');
    t.run(['template', 'list']);
    const invite = ['--set', 'onderwerp=hoe het met de kinderen gaat', '--set', 'datum=dinsdag 1 december 2026', '--set', 'tijd=14.00 uur', '--set', 'locatie=Politiebureau Centrum, Stationsplein 1, Zwolle'];
    t.run(['render', 'uitnodiging', '--case', 'JB-2026-0042', '--out', 'uitnodiging.docx', ...invite]);
    const pdf = JSON.parse(t.run(['render', 'uitnodiging', '--case', 'JB-2026-0042', '--out', 'uitnodiging.pdf', ...invite, '--json'])) as { document: string };
    t.say('Both carry her pseudonym and the team\'s phone, mailbox and address; the Word and PDF author is the team. Both passed the leak gate and are registered.');

    t.heading("A colleague's own template names a real person: the leak gate refuses it and writes nothing");
    fs.writeFileSync(
      path.join(dir, 'eigen-brief.md'),
      'Geachte ouder(s)/verzorger(s),\n\nNa overleg met Koen Özdemir hebben wij besloten om {{besluit}}.\n\nMet vriendelijke groet,\n\n{{worker.name}}\n{{team.name}}\n',
    );
    ctx.term.out(ctx.term.style.cyan('$ cat eigen-brief.md'));
    ctx.term.out(fs.readFileSync(path.join(dir, 'eigen-brief.md'), 'utf8').trimEnd());
    t.run(['render', 'eigen-brief.md', '--case', 'JB-2026-0042', '--out', 'brief-besluit.pdf', '--set', 'besluit=het gesprek te verplaatsen'], undefined, 1);
    ctx.term.out(ctx.term.style.cyan('$ ls brief-besluit.pdf'));
    ctx.term.out(fs.existsSync(path.join(dir, 'brief-besluit.pdf')) ? 'brief-besluit.pdf' : 'ls: brief-besluit.pdf: no such file');
    t.say('Back to the administrator, who also acts as security officer in this demo (export SCHUILNAAM_USER=admin, and her session).');
    env.SCHUILNAAM_USER = 'admin';
    env.SCHUILNAAM_SESSION = adminSession;

    t.heading(`A parent posts "${leaked}" with a photo in a Facebook group: the security officer rotates it`);
    t.run(['rotate', '--pseudonym', leaked, '--reason', 'doxed in a closed Facebook group', '--dry-run']);
    t.run(['rotate', '--pseudonym', leaked, '--reason', 'doxed in a closed Facebook group', '--how', 'photo and name posted', '--yes']);
    t.say('The rotation lists the letters already sent that carry the old name. Reissue one with the new name:');
    t.run(['render', '--reissue', pdf.document]);
    t.run(['pseudonym', 'get', '--case', 'JB-2026-0042', '--worker', sanne]);
    t.say(`"${leaked}" is never issued again. Sanne's name in case JB-2026-0043 is untouched.`);
    t.run(['pseudonym', 'history', '--worker', sanne]);

    t.heading('The police ask who is behind the leaked name: resolving is privileged and audited');
    t.run(['pseudonym', 'resolve', leaked, '--reason', 'police request PV-2026-118']);

    t.heading('Before a letter goes out, scan it: a real name in any spelling, anywhere in the file, is caught');
    fs.writeFileSync(
      path.join(dir, 'concept.docx'),
      await draftDocx(
        ['Geachte ouders,', 'Op dinsdag 2 december spreken wij u op het politiebureau.', 'Uw contactpersoon is S. van der Wal (s.vanderwal@jb-voorbeeld.nl).', 'De bakker op de hoek weet de weg.'],
        'Sanne van der Wal',
      ),
    );
    t.say('concept.docx: a Word draft with a colleague\'s initials and e-mail in the text, and her real name as the document\'s author.');
    t.run(['scan', 'concept.docx'], undefined, 1);
    t.say('Had a colleague been called Bakker, "de bakker op de hoek" would be a low-confidence finding: reported, but blocking only with --strict.');
    t.run(['redact', 'concept.docx', '--case', 'JB-2026-0042', '--out', 'brief.docx']);
    t.run(['scan', 'brief.docx']);
    t.say('brief.docx keeps the draft\'s formatting; the name is now her pseudonym for this case, the author is her team.');

    t.heading('The audit log: ids only, hash-chained and MAC\'d');
    t.run(['audit', 'log']);
    t.run(['audit', 'verify']);

    t.heading('Check every record and the file itself');
    t.run(['verify']);

    t.heading('What is on disk: no real name, e-mail, number, case reference or pseudonym in the vault file');
    const bytes = fs.readFileSync(path.join(dir, 'vault.db'));
    const probes = ['Sanne', 'Özdemir', 'Hoogland', 'jb-voorbeeld.nl', 'P-10230', '41234567', 'JB-2026-0042', leaked];
    const found = probes.filter((p) => bytes.includes(Buffer.from(p, 'utf8')));
    ctx.term.out(`$ grep -c -e ${probes.map(quote).join(' -e ')} vault.db`);
    ctx.term.out(found.length === 0 ? '0   (identity and case-facing fields are encrypted)' : `found: ${found.join(', ')}`);

    t.heading('End the session');
    t.run(['lock']);
  } finally {
    if (opts.keep) {
      ctx.term.out(`\nThe demo vault is kept in ${dir}. Try:\n  export SCHUILNAAM_VAULT=${dir}/vault.db\n  schuilnaam worker list --passphrase-file ${dir}/pass.txt`);
    } else {
      fs.rmSync(dir, { recursive: true, force: true });
      ctx.term.out(`\nThe demo vault has been removed. Run "schuilnaam demo --keep" to keep it.`);
    }
  }
}
