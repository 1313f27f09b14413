// SQL for the register of rendered and redacted documents. The record arrives
// sealed; ids are opaque.
import type { Store } from './store.js';

export interface DocumentRow {
  id: string;
  case_id: string;
  worker_id: string | null;
  kind: 'render' | 'redact';
  record: Uint8Array;
  created_at: string;
  reissue_of: string | null;
  /** 'pending' from registration until the file is in place, then 'complete'. */
  state: 'pending' | 'complete';
}

const COLS = 'id, case_id, worker_id, kind, record, created_at, reissue_of, state';

export class DocumentStore {
  constructor(private readonly s: Store) {}

  insert(row: DocumentRow, pseudonymIds: readonly string[]): void {
    this.s.run(
      `INSERT INTO documents (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.case_id,
      row.worker_id,
      row.kind,
      row.record,
      row.created_at,
      row.reissue_of,
      row.state,
    );
    for (const p of new Set(pseudonymIds)) this.s.run('INSERT INTO document_pseudonyms (document_id, pseudonym_id) VALUES (?, ?)', row.id, p);
  }

  /** Marks pending documents complete (their files are in place). */
  complete(ids: readonly string[]): void {
    for (const id of ids) this.s.run("UPDATE documents SET state = 'complete' WHERE id = ? AND state = 'pending'", id);
  }

  /**
   * Removes pending documents whose files were never put in place. Only
   * pending rows: a complete document is never deleted. Returns how many went.
   */
  removePending(ids: readonly string[]): number {
    let n = 0;
    for (const id of ids) {
      if (this.s.get("SELECT 1 FROM documents WHERE id = ? AND state = 'pending'", id) === undefined) continue;
      if (this.s.get('SELECT 1 FROM documents WHERE reissue_of = ?', id) !== undefined) continue;
      this.s.run('DELETE FROM document_pseudonyms WHERE document_id = ?', id);
      this.s.run("DELETE FROM documents WHERE id = ? AND state = 'pending'", id);
      n++;
    }
    return n;
  }

  pending(): DocumentRow[] {
    return this.s.all<DocumentRow>(`SELECT ${COLS} FROM documents WHERE state = 'pending' ORDER BY rowid`);
  }

  exists(id: string): boolean {
    return this.s.get('SELECT 1 FROM documents WHERE id = ?', id) !== undefined;
  }

  byId(id: string): DocumentRow | undefined {
    return this.s.get<DocumentRow>(`SELECT ${COLS} FROM documents WHERE id = ?`, id);
  }

  /** Documents carrying any of these pseudonyms, in the order they were registered. */
  carrying(pseudonymIds: readonly string[]): DocumentRow[] {
    if (pseudonymIds.length === 0) return [];
    const marks = pseudonymIds.map(() => '?').join(', ');
    return this.s.all<DocumentRow>(
      `SELECT DISTINCT ${COLS.split(', ').map((c) => `d.${c}`).join(', ')} FROM documents d JOIN document_pseudonyms p ON p.document_id = d.id
       WHERE p.pseudonym_id IN (${marks}) ORDER BY d.rowid`,
      ...pseudonymIds,
    );
  }

  pseudonymsOf(id: string): string[] {
    return this.s.all<{ pseudonym_id: string }>('SELECT pseudonym_id FROM document_pseudonyms WHERE document_id = ? ORDER BY pseudonym_id', id).map((r) => r.pseudonym_id);
  }

  list(caseId?: string): DocumentRow[] {
    return caseId
      ? this.s.all<DocumentRow>(`SELECT ${COLS} FROM documents WHERE case_id = ? ORDER BY rowid`, caseId)
      : this.s.all<DocumentRow>(`SELECT ${COLS} FROM documents ORDER BY rowid`);
  }
}
