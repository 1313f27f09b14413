// The command surface: flags, help text with examples, and a lazy action per
// command so `--version` loads neither SQLite, libsodium nor document libraries.
import fs from 'node:fs';
import { Command, Option } from 'commander';
import { ExitCode } from '../errors.js';
import { makeContext, type Ctx, type GlobalOptions, type Runtime } from './context.js';

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
  demo: () => import('./commands/demo.js'),
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
      about('Change the passphrase of your keyslot. Data is not re-encrypted, so this takes as long as one key derivation.', [
        ['change it interactively (asks for the old one once and the new one twice)', 'schuilnaam passwd'],
        ['change it from files', 'schuilnaam passwd --passphrase-file old.txt --new-passphrase-file new.txt'],
      ]),
    )
    .option('--new-passphrase-file <path>', 'read the new passphrase from the first line of a file ("-" for stdin)')
    .action(action(commands.session, 'passwd'));

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
    .addHelpText(
      'before',
      about(
        "Offboard a worker: their identity key is destroyed, so their name and contact details can never be read again. The id stays for the record.",
        [
          ['offboard, asking for confirmation', 'schuilnaam worker offboard W-7f3k2q9m'],
          ['in a script', 'schuilnaam worker offboard W-7f3k2q9m --yes'],
        ],
      ),
    )
    .action(action(commands.worker, 'offboard'));

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
      state.usageMessage = first.replace(/^error: /u, '');
      state.usageHint = rest.join(' ').replace(/^\((.*)\)$/u, '$1').trim().replace(/^Did you/u, 'did you') || helpHint;
    },
  });
  for (const sub of cmd.commands) configureErrors(sub, rt, state);
}
