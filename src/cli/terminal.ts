// All terminal I/O in one place: stdout, stderr, stdin, prompts and colour.
import { Chalk, type ChalkInstance } from 'chalk';
import type { Readable, Writable } from 'node:stream';

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
}

function colourLevel(stream: { isTTY?: boolean }, env: Io['env'], colourFlag: boolean): 0 | 1 {
  if (!colourFlag || env.NO_COLOR !== undefined || !stream.isTTY) return 0;
  return 1;
}

export class Terminal {
  /** Colours for stdout; plain strings when colour is off. */
  readonly style: ChalkInstance;
  private readonly errStyle: ChalkInstance;
  private stdinBytes: Promise<Buffer> | undefined;

  constructor(
    readonly io: Io,
    colourFlag = true,
  ) {
    this.style = new Chalk({ level: colourLevel(io.stdout, io.env, colourFlag) });
    this.errStyle = new Chalk({ level: colourLevel(io.stderr, io.env, colourFlag) });
  }

  get stdinIsTTY(): boolean {
    return Boolean(this.io.stdin.isTTY);
  }

  get stderrIsTTY(): boolean {
    return Boolean(this.io.stderr.isTTY);
  }

  get stdoutIsTTY(): boolean {
    return Boolean(this.io.stdout.isTTY);
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }

  error(message: string, hint?: string): void {
    this.io.stderr.write(`schuilnaam: ${this.errStyle.red('error')}: ${message}\n`);
    if (hint) this.hint(hint);
  }

  hint(hint: string): void {
    this.io.stderr.write(`schuilnaam: ${this.errStyle.dim('hint')}: ${hint}\n`);
  }

  warn(message: string): void {
    this.io.stderr.write(`schuilnaam: ${this.errStyle.yellow('warning')}: ${message}\n`);
  }

  /** A progress or status note for people; stderr, so stdout stays clean for scripts. */
  note(message: string): void {
    this.io.stderr.write(message.endsWith('\n') ? message : message + '\n');
  }

  /**
   * All of stdin as bytes (read once; later calls get the same bytes). Bytes,
   * not text: a passphrase must not have invalid UTF-8 quietly turned into U+FFFD.
   */
  readStdinBytes(): Promise<Buffer> {
    this.stdinBytes ??= new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      this.io.stdin.on('data', (c: Buffer | string) => chunks.push(typeof c === 'string' ? Buffer.from(c) : c));
      this.io.stdin.on('end', () => resolve(Buffer.concat(chunks)));
      this.io.stdin.on('error', reject);
    });
    return this.stdinBytes;
  }

  /** A hidden prompt on stderr, so `$(schuilnaam unlock)` captures only the token. */
  async promptSecret(message: string): Promise<string> {
    const { password } = await import('@inquirer/prompts');
    return password({ message, mask: true }, { input: this.io.stdin, output: this.io.stderr });
  }

  async confirm(message: string): Promise<boolean> {
    const { confirm } = await import('@inquirer/prompts');
    return confirm({ message, default: false }, { input: this.io.stdin, output: this.io.stderr });
  }
}
