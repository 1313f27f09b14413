// Flags and help of `user …` and `whoami`, kept beside their run functions
// (commands/user.ts). Loads nothing heavy: program.ts imports it at start-up, and
// user.ts (SQLite, libsodium) only when one of these commands runs.
import type { Command } from 'commander';

type Examples = [comment: string, command: string][];
type Register = {
  about: (text: string, examples: Examples) => string;
  /** The action that loads user.ts and runs the named function. */
  run: (fn: 'add' | 'join' | 'list' | 'remove' | 'whoami') => (...args: unknown[]) => Promise<void>;
};

export function registerUserCommands(program: Command, { about, run }: Register): void {
  const user = program
    .command('user')
    .summary('add people to the vault, each with their own passphrase and role')
    .addHelpText(
      'before',
      about(
        'Each person who uses the vault is a user with a role: admin (HR: workers and users), security (rotation, resolving, audit) or caseworker (her own cases). An administrator adds a user and gets a one-time code; the new user joins with it and chooses a passphrase no one else sees.',
        [
          ['add a caseworker linked to her own worker record; prints a code valid for 72 hours', 'schuilnaam user add noor --role caseworker --worker W-7KQ2M9XD'],
          ['the new user, on her own machine: type the code, choose a passphrase', 'schuilnaam user join noor'],
          ['everyone with access, and codes not used yet', 'schuilnaam user list'],
        ],
      ),
    );

  user
    .command('add')
    .summary('add a user (administrators only); prints a one-time enrolment code')
    .addHelpText(
      'before',
      about('Add a user and print a one-time enrolment code, valid for 72 hours. Give the code to that person only, in person or by phone. Adding the same name again replaces a code not used yet.', [
        ['a security officer', 'schuilnaam user add sven --role security'],
        ['a caseworker linked to her worker record, as JSON for a script', 'schuilnaam user add noor --role caseworker --worker W-7KQ2M9XD --json'],
      ]),
    )
    .argument('<name>', 'user name: 1-32 letters, digits, dots, dashes or underscores')
    .requiredOption('--role <role>', 'admin, security or caseworker')
    .option('--worker <id>', 'the worker record of this person (W-…); a caseworker works on the cases of this worker')
    .action(run('add'));

  user
    .command('join')
    .summary('join a vault with the code an administrator gave you; choose your passphrase')
    .addHelpText(
      'before',
      about('Join the vault as the user an administrator added, with the one-time code. You choose your own passphrase; the administrator never sees it. The code works once.', [
        ['type the code and the new passphrase (twice) at hidden prompts', 'schuilnaam user join noor'],
        ['from files, for a script', 'schuilnaam user join noor --code-file code.txt --new-passphrase-file pass.txt'],
      ]),
    )
    .argument('<name>', 'your user name, as the administrator added it')
    .option('--code-file <path>', 'read the enrolment code from the first line of a file ("-" for stdin)')
    .option('--new-passphrase-file <path>', 'read your new passphrase from the first line of a file ("-" for stdin)')
    .action(run('join'));

  user
    .command('list')
    .summary('list users, their roles and codes not used yet (administrators only)')
    .addHelpText(
      'before',
      about('List every user with role, linked worker, status and key fingerprint, and every enrolment code not used yet. Removed users stay listed: their keys check the audit entries they signed.', [
        ['as a table', 'schuilnaam user list'],
        ['as JSON', 'schuilnaam user list --json'],
      ]),
    )
    .action(run('list'));

  user
    .command('remove')
    .summary('remove a user and replace every key she held (administrators only)')
    .addHelpText(
      'before',
      about(
        'Remove a user: her keyslot and grants are deleted at once, then every key her role held is replaced and every record under it sealed again, so a copy of her keyslot or an old session opens nothing written from then on. What she already read cannot be un-read. If the run is interrupted, run the same command again to finish. Other sessions must unlock again afterwards. A user who never joined only loses her enrolment code.',
        [
          ['remove a caseworker who left; asks for confirmation', 'schuilnaam user remove noor'],
          ['in a script', 'schuilnaam user remove noor --yes --json'],
        ],
      ),
    )
    .argument('<name>', 'the user to remove')
    .option('--yes', 'do not ask for confirmation')
    .action(run('remove'));

  user
    .command('whoami')
    .summary('the same as "schuilnaam whoami"')
    .addHelpText(
      'before',
      about('Show the user this command runs as, its role, the linked worker, the key fingerprint and when the session ends (the same as "schuilnaam whoami").', [
        ['in the current session', 'schuilnaam user whoami'],
        ['as JSON', 'schuilnaam user whoami --json'],
      ]),
    )
    .action(run('whoami'));

  program
    .command('whoami')
    .summary('show who you are in this vault: user, role, worker, session')
    .addHelpText(
      'before',
      about('Show the user this command runs as, its role, the linked worker, the key fingerprint and when the session ends.', [
        ['in the current session', 'schuilnaam whoami'],
        ['as another user of this vault (asks for that passphrase)', 'schuilnaam whoami --user sven'],
      ]),
    )
    .action(run('whoami'));
}
