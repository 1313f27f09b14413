// Every failure a user can cause or meet is one of these; the CLI maps them to
// the exit codes in CLI.md. Anything else that escapes is a bug (exit 70).

export const ExitCode = {
  ok: 0,
  no: 1,
  usage: 2,
  access: 3,
  integrity: 4,
  io: 74,
  busy: 75,
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class SchuilnaamError extends Error {
  constructor(
    readonly exitCode: ExitCodeValue,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input: unknown command, flag, id, invalid file. Exit 2. */
export class UsageError extends SchuilnaamError {
  constructor(message: string, hint?: string) {
    super(ExitCode.usage, message, hint);
  }
}

/** Wrong passphrase, no session, role lacks the right. Exit 3. */
export class AccessError extends SchuilnaamError {
  constructor(message: string, hint?: string) {
    super(ExitCode.access, message, hint);
  }
}

/** Corrupt or tampered vault, unsupported format. Exit 4. */
export class IntegrityError extends SchuilnaamError {
  constructor(message: string, hint?: string) {
    super(ExitCode.integrity, message, hint);
  }
}

/** Another process holds the write lock longer than the busy timeout. Exit 75. */
export class BusyError extends SchuilnaamError {
  constructor(message: string, hint?: string) {
    super(ExitCode.busy, message, hint);
  }
}

/** The file system refused: disk full, read-only, permission denied. Exit 74. */
export class IoError extends SchuilnaamError {
  constructor(message: string, hint?: string) {
    super(ExitCode.io, message, hint);
  }
}
