// SQL for replacing compartment keys after a user is removed (issue #9): read
// and write back sealed columns and keyed indexes row by row. Table and column
// names come only from the integrity column list, never from input.
import { INTEGRITY_COLUMNS } from './migrations.js';
import type { Store } from './store.js';

export type Cell = Uint8Array | string | number | null;

/** What sealing a leak-index row again needs: its owner and sealed worker, and the kind and tokens their associated data binds. */
export interface ScanRow {
  id: number;
  owner: Uint8Array;
  kind: string;
  tokens: Uint8Array;
  worker: Uint8Array;
}

function checked(table: string, columns: readonly string[]): void {
  const known = INTEGRITY_COLUMNS[table];
  if (!known || !columns.every((c) => known.includes(c))) throw new Error(`not a protected column: ${table}.${columns.join(',')}`);
}

export class RekeyStore {
  constructor(private readonly s: Store) {}

  /** Every row's key column and the given columns, in key order. */
  rows(table: string, key: string, columns: readonly string[]): Record<string, Cell>[] {
    checked(table, [key, ...columns]);
    return this.s.all<Record<string, Cell>>(`SELECT ${[key, ...columns].join(', ')} FROM ${table} ORDER BY ${key}`);
  }

  update(table: string, key: string, id: string, values: Record<string, Cell>): void {
    const cols = Object.keys(values);
    checked(table, [key, ...cols]);
    this.s.run(`UPDATE ${table} SET ${cols.map((c) => `${c} = ?`).join(', ')} WHERE ${key} = ?`, ...cols.map((c) => values[c]), id);
  }

  scanRows(): ScanRow[] {
    return this.s.all<ScanRow>('SELECT id, owner, kind, tokens, worker FROM scan_index ORDER BY id');
  }

  deleteScanRow(id: number): void {
    this.s.run('DELETE FROM scan_index WHERE id = ?', id);
  }

  updateScanRow(id: number, owner: Uint8Array, worker: Uint8Array): void {
    this.s.run('UPDATE scan_index SET owner = ?, worker = ? WHERE id = ?', owner, worker, id);
  }

  deleteNameGuards(): void {
    this.s.run('DELETE FROM name_guards');
  }

  pseudonymGuards(): { digest: Uint8Array; pseudonym_id: string }[] {
    return this.s.all('SELECT digest, pseudonym_id FROM pseudonym_guards ORDER BY pseudonym_id');
  }

  deletePseudonymGuards(): void {
    this.s.run('DELETE FROM pseudonym_guards');
  }

  deleteAllGrants(): number {
    return this.s.run('DELETE FROM grants').changes;
  }

  deleteAllEnrolments(): string[] {
    const names = this.s.all<{ user: string }>('SELECT user FROM enrolments ORDER BY user').map((r) => r.user);
    this.s.run('DELETE FROM enrolments');
    return names;
  }

  deleteMeta(key: string): void {
    this.s.run('DELETE FROM meta WHERE key = ?', key);
  }

  deleteKeyslotOf(user: string): void {
    this.s.run('DELETE FROM keyslots WHERE user = ?', user);
  }
}
