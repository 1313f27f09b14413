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
}

const COLS = 'id, case_id, worker_id, kind, record, created_at, reissue_of';

export class DocumentStore {
  constructor(private readonly s: Store) {}

  insert(row: DocumentRow, pseudonymIds: readonly string[]): void {
    this.s.run(
      `INSERT INTO documents (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.case_id,
      row.worker_id,
      row.kind,
      row.record,
      row.created_at,
      row.reissue_of,
    );
    for (const p of new Set(pseudonymIds)) this.s.run('INSERT INTO document_pseudonyms (document_id, pseudonym_id) VALUES (?, ?)', row.id, p);
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
