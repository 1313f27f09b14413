// The command surface: flags, help text with examples, and a lazy action per
// command so `--version` loads neither SQLite, libsodium nor document libraries.
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { ExitCode } from '../errors.js';
import { makeContext, type Ctx, type GlobalOptions, type Runtime } from './context.js';
import { registerUserCommands } from './flags/user.js';

export interface RunState {
  code: number;
  usageMessage: string | undefined;
  usageHint?: string;
}

export type CommandFn = (ctx: Ctx, args: string[], opts: Record<string, unknown>) => Promise<number | void>;

const commands = {
  init: () => import('./commands/init.js'),
  session: () => import('./commands/session.js'),
  worker: () => import('./commands/worker.js'),
  verify: () => import('./commands/verify.js'),
  cases: () => import('./commands/cases.js'),
  pseudonym: () => import('./commands/pseudonym.js'),
  rotate: () => import('./commands/rotate.js'),
  audit: () => import('./commands/audit.js'),
  team: () => import('./commands/team.js'),
  scan: () => import('./commands/scan.js'),
  redact: () => import('./commands/redact.js'),
  render: () => import('./commands/render.js'),
  template: () => import('./commands/template.js'),
  document: () => import('./commands/document.js'),
  demo: () => import('./commands/demo.js'),
  user: () => import('./commands/user.js'),
};

function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Help that leads with what the command is for and examples, gh-style. */
function about(text: string, examples: [comment: string, command: string][]): string {
  const ex = examples.map(([c, cmd]) => `  # ${c}\n  $ ${cmd}`).join('\n\n');
  return `${text}\n\nExamples:\n${ex}\n`;
}

export function buildProgram(rt: Runtime, state: RunState): Command {
  const action =
    <M>(load: () => Promise<M>, name: { [K in keyof M]: M[K] extends CommandFn ? K : never }[keyof M]) =>
    async (...raw: unknown[]) => {
      const cmd = raw[raw.length - 1] as Command;
      const args = raw.slice(0, -2).flat() as string[];
      const opts = cmd.optsWithGlobals() as Record<string, unknown>;
      const ctx = makeContext(opts as GlobalOptions, rt);
      const mod = await load();
      const fn = mod[name] as CommandFn;
      state.code = (await fn(ctx, args, opts)) ?? ExitCode.ok;
    };

  const program = new Command('schuilnaam');
  program
    .summary('pseudonyms for caseworkers, and letters that cannot leak their real names')
    .addHelpText(
      'before',
      about(
        'schuilnaam keeps an encrypted vault that maps real workers to case-facing pseudonyms.',
        [
          ['create a vault (asks for a passphrase twice)', 'schuilnaam init'],
          ['unlock once for this shell: later commands need no passphrase for 15 minutes', 'export SCHUILNAAM_SESSION=$(schuilnaam unlock)'],
          ['add a worker; prints the new id', 'schuilnaam worker add --first-name Sanne --prefix "van der" --last-name Wal --team "Team Noord"'],
          ['see the whole workflow on a throwaway vault', 'schuilnaam demo'],
        ],
      ),
    )
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--vault <path>', 'vault file (default: $SCHUILNAAM_VAULT, else ~/.local/share/schuilnaam/vault.db)')
    .option('--passphrase-file <path>', 'read the passphrase from the first line of a file ("-" for stdin)')
    .option('--user <name>', "whose keyslot to open (default: $SCHUILNAAM_USER, else the vault's first admin)")
    .option('--json', 'print one JSON document on stdout')
    .option('--no-color', 'no colour in output')
    .showSuggestionAfterError(true)
    .exitOverride();

  program
    .command('init')
    .summary('create a vault (refuses to overwrite one)')
    .addHelpText(
      'before',
      about('Create a new vault, with you as its first administrator. An existing vault is never overwritten.', [
        ['create a vault at the default location; asks for a passphrase twice', 'schuilnaam init'],
        ['create one at a chosen path, passphrase from a file (first line)', 'schuilnaam init --vault ./team.db --passphrase-file ./pass.txt'],
      ]),
    )
    .option('--admin <name>', "the first administrator's user name", 'admin')
    .addOption(new Option('--kdf <profile>', 'cost of deriving keys from the passphrase').choices(['moderate', 'sensitive']))
    .action(action(commands.init, 'init'));

  program
    .command('unlock')
    .summary('start a session: print a token for SCHUILNAAM_SESSION')
    .addHelpText(
      'before',
      about('Derive the keys once and print a session token. With SCHUILNAAM_SESSION set, commands need no passphrase until it expires.', [
        ['unlock for 15 minutes (the default)', 'export SCHUILNAAM_SESSION=$(schuilnaam unlock)'],
        ['see the token and when it expires', 'schuilnaam unlock --json'],
        ['unlock for an hour, non-interactively', 'export SCHUILNAAM_SESSION=$(schuilnaam unlock --ttl 1h --passphrase-file ~/.schuilnaam-pass)'],
      ]),
    )
    .option('--ttl <duration>', 'how long the session lasts: 90s, 15m, 2h (at most 12h)', '15m')
    .action(action(commands.session, 'unlock'));

  program
    .command('lock')
    .summary('end the session(s) of this vault at once')
    .addHelpText(
      'before',
      about('End the session in SCHUILNAAM_SESSION and every other open session of this vault.', [
        ['end all sessions of the vault', 'schuilnaam lock && unset SCHUILNAAM_SESSION'],
      ]),
    )
    .action(action(commands.session, 'lock'));

  program
    .command('passwd')
    .summary('change your passphrase (rewraps your keyslot)')
    .addHelpText(
      'before',
      about('Change the passphrase of your keyslot. Data is not re-encrypted, so this takes as long as one key derivation. Your open sessions of this vault (in this account\'s session folder) end, since they were unlocked with the old passphrase; --keep-sessions keeps them.', [
        ['change it interactively (asks for the old one once and the new one twice)', 'schuilnaam passwd'],
        ['change it from files', 'schuilnaam passwd --passphrase-file old.txt --new-passphrase-file new.txt'],
      ]),
    )
    .option('--new-passphrase-file <path>', 'read the new passphrase from the first line of a file ("-" for stdin)')
    .option('--keep-sessions', 'keep your open sessions (by default passwd ends them)')
    .addOption(new Option('--kdf <profile>', 'key-derivation cost (never lowered below the keyslot\'s current cost)').choices(['moderate', 'sensitive']))
    .action(action(commands.session, 'passwd'));

  registerUserCommands(program, { about, run: (fn) => action(commands.user, fn) });

  const worker = program
    .command('worker')
    .summary('add, import, list, show, update and offboard workers')
    .addHelpText(
      'before',
      about('Workers are the real employees behind pseudonyms. Their identity is encrypted; everything else refers to them by id (W-…).', [
        ['add a worker', 'schuilnaam worker add --first-name Sanne --prefix "van der" --last-name Wal --email s.vanderwal@example.org'],
        ['import an HR export (all rows or none)', 'schuilnaam worker import hr-export.csv'],
        ['list workers as JSON', 'schuilnaam worker list --json'],
      ]),
    );

  const identityOptions = (c: Command, required: boolean): Command => {
    const name = (flag: string, desc: string) => (required ? c.requiredOption(flag, desc) : c.option(flag, desc));
    name('--first-name <name>', 'first name(s)');
    c.option('--prefix <prefix>', 'surname prefix, e.g. "van der", "de", "van \'t"');
    name('--last-name <name>', 'surname without prefix; double surnames as "Jansen-Smit"');
    c.option('--initials <initials>', 'initials, e.g. "P.J." (default: from the first name)')
      .option('--email <address>', 'work e-mail address (unique)')
      .option('--phone <number>', 'phone number, any Dutch notation')
      .option('--employee-no <number>', 'personnel number (unique)')
      .option('--team <team>', 'team name');
    return c;
  };

  identityOptions(
    worker
      .command('add')
      .summary('add one worker; prints the new id')
      .addHelpText(
        'before',
        about('Add one worker. Prints the new id (W-…) on stdout.', [
          ['a worker with a surname prefix', 'schuilnaam worker add --first-name Sanne --prefix "van der" --last-name Wal --team "Team Noord"'],
          ['with contact details, as JSON', 'schuilnaam worker add --first-name Koen --last-name Özdemir --email k.ozdemir@example.org --phone 06-12345678 --json'],
        ]),
      ),
    true,
  ).action(action(commands.worker, 'add'));

  worker
    .command('import')
    .summary('import workers from a CSV export (all rows or none)')
    .argument('<file>', 'CSV file: first_name,prefix,last_name,initials,email,phone,employee_no,team')
    .addHelpText(
      'before',
      about(
        'Import workers from a CSV file with a header row. UTF-8 with or without BOM; "," or ";" separated; quoted fields allowed. ' +
          'Columns: first_name,prefix,last_name,initials,email,phone,employee_no,team (first_name and last_name required). ' +
          'A bad row is reported with its line number and nothing is imported.',
        [
          ['import an HR export', 'schuilnaam worker import hr-export.csv'],
          ['and keep the new ids, in row order', 'schuilnaam worker import hr-export.csv --json | jq -r ".ids[]"'],
        ],
      ),
    )
    .action(action(commands.worker, 'importCsv'));

  worker
    .command('list')
    .summary('list workers')
    .addHelpText('before', about('List all workers, in the order they were added.', [['as JSON for scripts', 'schuilnaam worker list --json']]))
    .action(action(commands.worker, 'list'));

  worker
    .command('show')
    .summary('show one worker')
    .argument('<id>', 'worker id (W-…)')
    .addHelpText('before', about('Show one worker.', [['show a worker', 'schuilnaam worker show W-7f3k2q9m']]))
    .action(action(commands.worker, 'show'));

  identityOptions(
    worker
      .command('update')
      .summary('change fields of a worker')
      .argument('<id>', 'worker id (W-…)')
      .addHelpText(
        'before',
        about('Change one or more fields of a worker. Give an optional field as "" to clear it.', [
          ['a new e-mail address', 'schuilnaam worker update W-7f3k2q9m --email s.wal@example.org'],
          ['move to another team and clear the phone number', 'schuilnaam worker update W-7f3k2q9m --team "Team Zuid" --phone ""'],
        ]),
      ),
    false,
  ).action(action(commands.worker, 'update'));

  worker
    .command('offboard')
    .summary("crypto-shred a worker's identity (irreversible)")
    .argument('<id>', 'worker id (W-…)')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .option('--forget', "also remove the keyed hashes that let scan and the leak gate catch the former worker's name, e-mail and numbers")
    .addHelpText(
      'before',
      about(
        "Offboard a worker: their identity key is destroyed, so their name and contact details can never be read again. The id stays for the record. Former staff stay targets for years, so the keyed hashes of their name forms, e-mail and numbers stay in the leak index (no name in clear) and letters are still checked against them; --forget removes those too.",
        [
          ['offboard, asking for confirmation', 'schuilnaam worker offboard W-7f3k2q9m'],
          ['in a script', 'schuilnaam worker offboard W-7f3k2q9m --yes'],
          ['also stop checking letters for the former worker\'s name', 'schuilnaam worker offboard W-7f3k2q9m --yes --forget'],
        ],
      ),
    )
    .action(action(commands.worker, 'offboard'));

  const kase = program
    .command('case')
    .summary('add cases and assign workers to them')
    .addHelpText(
      'before',
      about('A case is known by its reference. The vault stores only the reference, team and risk level: nothing about the family.', [
        ['add a case', 'schuilnaam case add JB-2026-0042 --team "Team Noord" --risk high'],
        ['assign a worker to it', 'schuilnaam case assign JB-2026-0042 W-7f3k2q9m'],
      ]),
    );
  kase
    .command('add')
    .summary('add a case')
    .argument('<ref>', 'case reference')
    .option('--team <team>', 'team handling the case')
    .addOption(new Option('--risk <level>', 'risk level').choices(['normal', 'high']).default('normal'))
    .addHelpText('before', about('Add a case.', [['a high-risk case of Team Noord', 'schuilnaam case add JB-2026-0042 --team "Team Noord" --risk high']]))
    .action(action(commands.cases, 'add'));
  kase
    .command('update')
    .summary("change a case's team or risk level")
    .argument('<ref>', 'case reference')
    .option('--team <team>', 'the team handling the case: its name and contact details go into letters')
    .addOption(new Option('--risk <level>', 'risk level').choices(['normal', 'high']))
    .addHelpText('before', about("Change a case's team or risk level. Pseudonyms already issued stay as they are.", [['Team Zuid takes over', 'schuilnaam case update JB-2026-0042 --team "Team Zuid"']]))
    .action(action(commands.cases, 'update'));
  kase
    .command('assign')
    .summary('assign a worker to a case')
    .argument('<ref>', 'case reference')
    .argument('<worker>', 'worker id (W-…)')
    .addHelpText('before', about('Assign a worker to a case, so a pseudonym can be issued for it.', [['assign', 'schuilnaam case assign JB-2026-0042 W-7f3k2q9m']]))
    .action(action(commands.cases, 'assign'));
  kase
    .command('show')
    .summary('show a case')
    .argument('<ref>', 'case reference')
    .addHelpText('before', about('Show a case and the workers assigned to it.', [['show', 'schuilnaam case show JB-2026-0042']]))
    .action(action(commands.cases, 'show'));
  kase
    .command('list')
    .summary('list cases')
    .addHelpText('before', about('List all cases.', [['as JSON', 'schuilnaam case list --json']]))
    .action(action(commands.cases, 'list'));

  const pseudonym = program
    .command('pseudonym')
    .summary('get, list and resolve case-facing pseudonyms')
    .addHelpText(
      'before',
      about('A pseudonym is the name a family sees. It stays the same for a worker in a case until it is rotated, and is never issued twice.', [
        ['my pseudonym for a case (issued on first use)', 'schuilnaam pseudonym get --case JB-2026-0042 --worker W-7f3k2q9m'],
        ['who is behind a pseudonym (audited; admin and security only)', 'schuilnaam pseudonym resolve "Eva Smit" --reason "police request 2026-118"'],
      ]),
    );
  pseudonym
    .command('get')
    .summary('the active pseudonym of a worker for a case; issues one if none')
    .requiredOption('--case <ref>', 'case reference')
    .option('--worker <id>', 'worker id (W-…); default: your own worker record')
    .addOption(new Option('--scope <scope>', 'case: only this case (default); worker: one name for all the worker\'s cases').choices(['case', 'worker']))
    .addOption(new Option('--style <style>', 'for a newly issued pseudonym: a Dutch name or an officer-style code').choices(['name', 'code']))
    .addHelpText(
      'before',
      about('Print the active pseudonym of a worker for a case. The first call issues one; later calls return the same name until it is rotated.', [
        ['the pseudonym for a case', 'schuilnaam pseudonym get --case JB-2026-0042 --worker W-7f3k2q9m'],
        ['with its formal form, as JSON', 'schuilnaam pseudonym get --case JB-2026-0042 --worker W-7f3k2q9m --json'],
        ['a code instead of a name', 'schuilnaam pseudonym get --case JB-2026-0042 --worker W-7f3k2q9m --style code'],
      ]),
    )
    .action(action(commands.pseudonym, 'get'));
  pseudonym
    .command('resolve')
    .summary('which worker is behind a pseudonym (audited)')
    .argument('<name>', 'pseudonym or code, any status')
    .requiredOption('--reason <text>', 'why you need to know (kept, encrypted, in the audit log)')
    .addHelpText(
      'before',
      about('De-pseudonymise: show which worker is behind a pseudonym, whether active, retired or compromised. Every call is written to the audit log with its reason.', [
        ['resolve a name from a threatening message', 'schuilnaam pseudonym resolve "Eva Smit" --reason "threat report 2026-118"'],
      ]),
    )
    .action(action(commands.pseudonym, 'resolve'));
  pseudonym
    .command('list')
    .summary('pseudonyms of a case or of a worker, with their status')
    .option('--case <ref>', 'case reference')
    .option('--worker <id>', 'worker id (W-…)')
    .addHelpText('before', about('List the pseudonyms of a case or of a worker, in every status.', [['of a case', 'schuilnaam pseudonym list --case JB-2026-0042']]))
    .action(action(commands.pseudonym, 'list'));
  pseudonym
    .command('history')
    .summary('the life of each pseudonym of a worker')
    .requiredOption('--worker <id>', 'worker id (W-…)')
    .addHelpText('before', about('Show when each pseudonym of a worker was issued, retired or compromised, and what replaced it.', [['history', 'schuilnaam pseudonym history --worker W-7f3k2q9m']]))
    .action(action(commands.pseudonym, 'history'));

  program
    .command('rotate')
    .summary('record a compromise and replace the affected pseudonyms')
    .option('--pseudonym <name>', 'a pseudonym that leaked')
    .option('--worker <id>', "a worker whose real identity leaked: all their pseudonyms")
    .option('--case <ref>', 'a case whose pseudonyms leaked')
    .option('--reason <text>', 'what leaked, where and how (required)')
    .option('--how <text>', 'how it leaked (e.g. "Facebook group", "letter forwarded")')
    .option('--leaked-at <date>', 'when it leaked')
    .option('--dry-run', 'show the impact without changing anything')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .addHelpText(
      'before',
      about('Record a compromise: the affected pseudonyms are retired as compromised and replaced by new ones in the same scopes. Prints the cases and documents affected.', [
        ['see what a rotation would touch', 'schuilnaam rotate --pseudonym "Eva Smit" --reason "posted in a Facebook group" --dry-run'],
        ['rotate after a doxing of a pseudonym', 'schuilnaam rotate --pseudonym "Eva Smit" --reason "posted in a Facebook group" --yes'],
        ["a worker's real name leaked: rotate all their pseudonyms", 'schuilnaam rotate --worker W-7f3k2q9m --reason "home address shared" --yes'],
      ]),
    )
    .action(action(commands.rotate, 'rotate'));

  const audit = program
    .command('audit')
    .summary('verify and read the tamper-evident audit log')
    .addHelpText(
      'before',
      about('The audit log records every issue, rotation, resolve and change, hash-chained and MAC\'d. It holds ids, never real names.', [
        ['check the chain', 'schuilnaam audit verify'],
        ['the last week', 'schuilnaam audit log --since 2026-11-18'],
      ]),
    );
  audit
    .command('verify')
    .summary('check the hash chain and MACs; exit 1 on a broken entry')
    .option('--head <seq:hash>', 'a chain head kept earlier: catches entries cut off the end')
    .addHelpText(
      'before',
      about('Check every entry of the audit log. Prints the chain head; keep it elsewhere and pass it back with --head to prove nothing was deleted from the end.', [
        ['check the log', 'schuilnaam audit verify'],
        ['against the head printed last week (SEQ:HASH, all 64 hex digits)', 'schuilnaam audit verify --head "$(cat audit-head.txt)"'],
      ]),
    )
    .action(action(commands.audit, 'verify'));
  audit
    .command('log')
    .summary('print audit entries')
    .option('--since <date>', 'only entries from this date or time on')
    .addHelpText('before', about('Print the audit log, oldest first.', [['as JSON since a date', 'schuilnaam audit log --since 2026-11-01 --json']]))
    .action(action(commands.audit, 'log'));

  const team = program
    .command('team')
    .summary('pseudonym settings per team')
    .addHelpText(
      'before',
      about("Per-team settings: pseudonym style (name or code), code prefix and default scope, and the team's functional phone, mailbox and address for letters. Teams without settings use the vault defaults.", [
        ['Team Oost signs with codes such as JBW-4821-3', 'schuilnaam team set "Team Oost" --style code --code-prefix JBW'],
        ['one worker-wide pseudonym by default for the whole vault', 'schuilnaam team set --default --scope worker'],
      ]),
    );
  team
    .command('set')
    .summary("change a team's (or the vault's default) pseudonym settings")
    .argument('[name]', 'team name')
    .option('--default', 'change the vault-wide defaults instead of one team')
    .addOption(new Option('--style <style>', 'pseudonym style').choices(['name', 'code']))
    .addOption(new Option('--scope <scope>', 'default scope').choices(['case', 'worker']))
    .option('--code-prefix <letters>', 'prefix of code pseudonyms, 1-4 capital letters without I and O (e.g. JB)')
    .option('--code-digits <n>', 'digits in code pseudonyms (3-8, default 4)')
    .option('--phone <number>', "the team's functional phone number, printed in letters ('' clears it)")
    .option('--email <address>', "the team's functional mailbox, printed in letters ('' clears it)")
    .option('--address <lines>', 'the postal address for letters; separate lines with a line break or \\n')
    .addHelpText(
      'before',
      about("Change pseudonym settings and the team's functional contact details: letters carry these, never a person's own number or mailbox.", [
        ['codes for Team Oost', 'schuilnaam team set "Team Oost" --style code --code-prefix JBW'],
        ['contact details for letters', 'schuilnaam team set "Team Noord" --phone "020 555 0100" --email team-noord@jeugdzorg.example --address "Postbus 1234\\n1000 AB Amsterdam"'],
      ]),
    )
    .action(action(commands.team, 'set'));
  team
    .command('list')
    .summary('the vault defaults and every team with settings')
    .addHelpText('before', about('Show the pseudonym settings.', [['list', 'schuilnaam team list']]))
    .action(action(commands.team, 'list'));

  program
    .command('scan')
    .summary('check documents for real names, e-mails, phones and personnel numbers')
    .argument('[files...]', 'files or folders (.txt .md .html .docx .pdf .eml)')
    .option('--stdin', 'scan one document read from standard input')
    .option('--stdin-name <name>', 'the name of the document on stdin; its extension (.eml, .docx, …) decides how it is read')
    .option('--strict', 'also fail on low-confidence findings (a surname or first name alone)')
    .addHelpText(
      'before',
      about(
        'Scan documents for the real identities in the vault and for retired pseudonyms, in any spelling. Exit 1 on a high-confidence finding (with --strict: on any), 0 when clean, 2 when a file cannot be read.',
        [
          ['check a letter before it is sent', 'schuilnaam scan brief-ouders.docx'],
          ['a whole folder, as JSON for a CI job', 'schuilnaam scan templates/ --json'],
          ['in front of a mail gateway: one message on stdin', 'schuilnaam scan --stdin < message.eml'],
        ],
      ),
    )
    .action(action(commands.scan, 'scan'));

  program
    .command('redact')
    .summary("replace real names in a document with the case's pseudonyms (txt, md, html, docx, eml)")
    .argument('<file>', 'a .txt, .md, .html, .docx or .eml file')
    .requiredOption('--case <ref>', 'the case the document is for')
    .requiredOption('--out <file>', 'where to write the redacted copy (same type)')
    .option('--force', 'replace --out if it exists')
    .addHelpText(
      'before',
      about(
        "Write a copy in which every high-confidence finding is replaced: a colleague's name by their pseudonym for this case (issued if needed), a worker not on the case by [medewerker], a worker's e-mail and phone by the team's functional ones (else placeholders), personnel numbers by [personeelsnummer]. The copy is scanned again and only written when clean, and it is registered like a rendered letter. In HTML, text and attribute values (alt, title, …) are redacted; in Word, every run keeps its formatting and the author becomes the case's team (tracked changes and comments must be resolved first). An e-mail is rebuilt with only From, To, Cc, Reply-To, Subject, Date and the bodies: tracing headers (Received, X-…, Organization) are left out, a worker's own address becomes the team mailbox, colleagues among the recipients are dropped, and text, HTML and Word attachments are redacted (other attachments refuse the message).",
        [
          ['redact a draft for a family', 'schuilnaam redact concept.txt --case JB-2026-0042 --out brief.txt'],
          ['a Word draft, keeping its house style', 'schuilnaam redact concept.docx --case JB-2026-0042 --out brief.docx'],
          ['an e-mail before it goes out', 'schuilnaam redact bericht.eml --case JB-2026-0042 --out bericht-schoon.eml'],
        ],
      ),
    )
    .action(action(commands.redact, 'redact'));

  program
    .command('render')
    .summary('a letter or report for a family, carrying only pseudonyms (pdf, docx, html, md, txt)')
    .argument('[template]', 'a built-in template name ("schuilnaam template list") or a .md, .txt, .html or .docx file')
    .option('--case <ref>', 'the case the document is for')
    .option('--worker <id>', "the worker who signs it (their pseudonym for the case is used); default: your own worker record")
    .option('--out <file>', 'where to write it; the extension decides the format: .pdf .docx .html .md .txt')
    .option('--set <key=value>', 'a value for a {{key}} placeholder (repeatable)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--data <file.json>', 'values for placeholders from a JSON object (--set wins)')
    .option('--lang <nl|en>', 'language of a template file (for {{today}}); built-in templates know their own')
    .option('--force', 'replace --out if it exists')
    .option('--reissue <document>', 'render a registered document again with the current pseudonym (after a rotation)')
    .option('--batch <file.csv>', 'one document per row; columns: case, worker, optional out, and the values')
    .option('--out-dir <dir>', 'with --batch: the folder to write to')
    .option('--format <ext>', 'with --batch: pdf (default for .md/.txt/.html templates), docx, html, md or txt')
    .addHelpText(
      'before',
      about(
        "Fill a template with the case's pseudonym for the worker and the team's functional contact details, write it as PDF, Word, HTML, Markdown or text, and run the leak gate on every part of the result (metadata included) before anything is written. A real name, e-mail, phone or personnel number, or a retired pseudonym, stops it: exit 1 and no file. Every document is registered, so a rotation lists the letters that carry a compromised name and --reissue makes them again.",
        [
          ['invite parents to a meeting at the police station, as PDF', 'schuilnaam render uitnodiging --case JB-2026-0042 --worker W-7f3k2q9m --out uitnodiging.pdf --set onderwerp="de voortgang" --set datum="dinsdag 1 december 2026" --set tijd="14.00 uur" --set locatie="Politiebureau Centrum, Stationsplein 1"'],
          ["the organisation's own Word template, house style kept", 'schuilnaam render huisstijl-brief.docx --case JB-2026-0042 --worker W-7f3k2q9m --out brief.docx --data waarden.json'],
          ['after a rotation: the same letter with the new pseudonym', 'schuilnaam render --reissue D-4k9x2m7q'],
          ['one letter per row of a CSV file, all checked before any is written', 'schuilnaam render besluit --batch besluiten.csv --out-dir uit/'],
        ],
      ),
    )
    .action(action(commands.render, 'render'));

  const template = program
    .command('template')
    .summary('built-in letter and report templates')
    .addHelpText(
      'before',
      about('The built-in templates (Dutch first, English second), and copies of them for an organisation to adapt.', [
        ['what there is', 'schuilnaam template list'],
        ['read one, with the values it needs', 'schuilnaam template show uitnodiging'],
        ['copy one to adapt it to the house style', 'schuilnaam template init uitnodiging sjablonen/'],
      ]),
    );
  template
    .command('list')
    .summary('built-in templates (name, language, kind)')
    .addHelpText('before', about('List the built-in templates.', [['list', 'schuilnaam template list']]))
    .action(action(commands.template, 'list'));
  template
    .command('show')
    .summary('a built-in template, with the values it needs')
    .argument('<name>', 'template name')
    .addHelpText('before', about('Print a built-in template and the --set values it needs.', [['the invitation', 'schuilnaam template show uitnodiging']]))
    .action(action(commands.template, 'show'));
  template
    .command('init')
    .summary('copy a built-in template into a folder to adapt it')
    .argument('<name>', 'template name')
    .argument('<dir>', 'folder to copy it into (created if needed)')
    .option('--force', 'replace the copy if it exists')
    .addHelpText('before', about('Copy a built-in template as NAME.md into DIR.', [['copy the invitation', 'schuilnaam template init uitnodiging sjablonen/']]))
    .action(action(commands.template, 'init'));

  const document = program
    .command('document')
    .summary('the register of rendered documents')
    .addHelpText(
      'before',
      about('Every rendered document is registered with its case, template, pseudonyms and a SHA-256 of the file.', [
        ['the letters of one case', 'schuilnaam document list --case JB-2026-0042'],
        ['one document', 'schuilnaam document show D-4k9x2m7q'],
      ]),
    );
  document
    .command('list')
    .summary('registered documents, oldest first')
    .option('--case <ref>', 'only this case')
    .addHelpText('before', about('List registered documents.', [['all', 'schuilnaam document list']]))
    .action(action(commands.document, 'list'));
  document
    .command('show')
    .summary('one registered document')
    .argument('<id>', 'document id (D-…)')
    .addHelpText('before', about('Show a registered document.', [['show', 'schuilnaam document show D-4k9x2m7q']]))
    .action(action(commands.document, 'show'));

  program
    .command('verify')
    .summary('check the integrity of the whole vault')
    .addHelpText(
      'before',
      about('Decrypt and check every record your keys can open, and run SQLite\'s integrity check. Exit 1 when a problem is found.', [
        ['check the vault', 'schuilnaam verify'],
        ['in a monitoring script', 'schuilnaam verify --json --passphrase-file /etc/schuilnaam/pass'],
      ]),
    )
    .action(action(commands.verify, 'verify'));

  program
    .command('demo')
    .summary('a throwaway vault showing the whole workflow')
    .addHelpText(
      'before',
      about('Build a throwaway vault in a temporary folder and walk through the workflow, printing each command and its output.', [
        ['run the tour', 'schuilnaam demo'],
        ['keep the demo vault afterwards to try commands on it', 'schuilnaam demo --keep'],
      ]),
    )
    .option('--keep', 'keep the demo folder afterwards')
    .action(action(commands.demo, 'demo'));

  configureErrors(program, rt, state);
  return program;
}

/** Usage errors become one "schuilnaam: error:" line and a hint naming the right --help (exit 2, set in main). */
function configureErrors(cmd: Command, rt: Runtime, state: RunState): void {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  const helpHint = `run "${names.join(' ')} --help" for usage`;
  cmd.configureOutput({
    writeOut: (s) => rt.stdout.write(s),
    writeErr: (s) => rt.stderr.write(s),
    outputError: (s) => {
      const [first = '', ...rest] = s.trim().split('\n');
      // "--option=value": never repeat the value, it may be a passphrase typed in the wrong place.
      state.usageMessage = first.replace(/^error: /u, '').replace(/'(--?[^'=\s]+)=[^']*'/gu, "'$1'");
      const secretLike = /unknown option '--?[^']*(pass|secret|key|token)/iu.test(state.usageMessage);
      state.usageHint = secretLike
        ? 'passphrases are read from a hidden prompt or --passphrase-file, never from a flag'
        : rest.join(' ').replace(/^\((.*)\)$/u, '$1').trim().replace(/^Did you/u, 'did you') || helpHint;
    },
  });
  for (const sub of cmd.commands) configureErrors(sub, rt, state);
}
