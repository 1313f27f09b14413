// In-process vaults for unit tests: real vault files in a per-test folder,
// opened through src/ (not the built CLI), with an injected clock. Tests that
// run here are visible to a mutation tool, which only sees code in-process.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { systemRandom } from '../../src/crypto/random.js';
import type { VaultDeps } from '../../src/vault/deps.js';
import { createVault, VaultFile, type Vault } from '../../src/vault/vault.js';
import { testTmpDir } from './tmp.js';

export const PASS = new TextEncoder().encode('negen nijvere nachtegalen');

/** A clock that moves one second per call from `start`, so entries are ordered. */
export function tickingClock(start = Date.parse('2026-02-02T08:00:00Z')): () => Date {
  let t = start;
  return () => new Date((t += 1000));
}

export interface Bench {
  dir: string;
  deps: VaultDeps;
  /** A new vault file (admin "admin", passphrase PASS), not opened. */
  create(name?: string): Promise<string>;
  /** Opens and unlocks a vault file; closed by cleanup(). */
  unlock(file: string, user?: string, pass?: Uint8Array, deps?: VaultDeps): Promise<Vault>;
  /** Closes every vault this bench opened (before raw edits of the file). */
  closeAll(): void;
  cleanup(): void;
}

export function makeBench(prefix: string, clock: () => Date = tickingClock()): Bench {
  const dir = testTmpDir(prefix);
  const deps: VaultDeps = { clock, random: systemRandom, kdfProfile: 'owasp-floor' };
  const open: Vault[] = [];
  let n = 0;
  const closeAll = () => {
    for (const v of open.splice(0)) v.close();
  };
  return {
    dir,
    deps,
    async create(name = `vault-${n++}.db`) {
      const file = path.join(dir, name);
      await createVault(file, PASS, 'admin', deps);
      return file;
    },
    async unlock(file, user, pass = PASS, d = deps) {
      const vf = await VaultFile.open(file, d);
      try {
        const v = vf.unlockWithPassphrase(pass, user);
        open.push(v);
        return v;
      } catch (e) {
        vf.close();
        throw e;
      }
    },
    closeAll,
    cleanup() {
      closeAll();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads rows without the integrity functions (read-only: no trigger runs). */
export function readRows<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}
