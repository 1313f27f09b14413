import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

const TRACER = path.join(ROOT, 'tests', 'helpers', 'trace-imports.mjs');

async function importsOf(args: string[]): Promise<string[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schuilnaam-trace-'));
  try {
    const file = path.join(dir, 'imports.txt');
    const r = await execa(process.execPath, ['--import', TRACER, BIN, ...args], {
      env: { TRACE_IMPORTS_FILE: file, SCHUILNAAM_VAULT: path.join(dir, 'none.db') },
      reject: false,
      stdin: 'ignore',
    });
    expect(r.exitCode).toBe(0);
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('start-up stays lean', () => {
  it('--version loads neither SQLite, libsodium, the prompt library nor CSV code', async () => {
    const loaded = await importsOf(['--version']);
    expect(loaded.some((u) => u.includes('/dist/cli/main.js'))).toBe(true);
    for (const heavy of ['better-sqlite3', 'libsodium', '@inquirer', 'csv-parse', '/dist/store/', '/dist/vault/vault.js', '/dist/formats/']) {
      expect(loaded.filter((u) => u.includes(heavy))).toEqual([]);
    }
  });

  it('--help of a command loads no command implementation', async () => {
    const loaded = await importsOf(['worker', 'add', '--help']);
    expect(loaded.filter((u) => u.includes('/dist/cli/commands/'))).toEqual([]);
  });
});
