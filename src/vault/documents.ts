// The register of documents this tool produced: what each was made from and
// which pseudonyms it carries, so that rotation can say which letters already
// sent carry a compromised name, and --reissue can make them again.
import { ID_RANDOM_BYTES, randomId } from '../core/ids.js';
import { UsageError } from '../errors.js';
import type { DocumentRow } from '../store/documents.js';
import type { AuditLog } from './audit.js';
import type { Cases } from './cases.js';
import type { VaultContext } from './context.js';
import { openField, sealField } from './sealing.js';

export interface DocumentRecord {
  case: string;
  worker: string | null;
  /** A built-in template's name, or the template file's absolute path. */
  template: string;
  builtin: boolean;
  language: 'nl' | 'en';
  format: string;
  /** Absolute path the document was written to. */
  path: string;
  sha256: string;
  /** The --set / --data values it was rendered with (needed to reissue it). */
  values: Record<string, string>;
  /** The pseudonyms it carries, as written. */
  pseudonyms: string[];
  /** Their ids: verify checks them against the document_pseudonyms rows rotation relies on. */
  pseudonym_ids?: string[];
}

export interface DocumentView extends DocumentRecord {
  id: string;
  kind: 'render' | 'redact';
  created_at: string;
  reissue_of: string | null;
}

export interface DocumentImpact {
  id: string;
  case: string;
  template: string;
  path: string;
}

export function isDocumentId(text: string): boolean {
  return /^D-[0-9a-hjkmnp-tv-z]{8}$/u.test(text);
}

export class Documents {
  constructor(
    private readonly ctx: VaultContext,
    private readonly audit: AuditLog,
    private readonly cases: Cases,
  ) {}

  /** Registers a document written to disk; returns its id. Call once the file is in place. */
  register(kind: 'render' | 'redact', record: DocumentRecord, pseudonymIds: readonly string[], reissueOf: string | null = null): string {
    return this.ctx.store.transaction(() => {
      const c = this.cases.find(record.case);
      let id: string;
      do id = randomId('D', this.ctx.random(ID_RANDOM_BYTES));
      while (this.ctx.documents.exists(id));
      this.ctx.documents.insert(
        {
          id,
          case_id: c.id,
          worker_id: record.worker,
          kind,
          record: sealField(
            this.ctx.key('casefacing'),
            JSON.stringify({ ...record, pseudonym_ids: [...new Set(pseudonymIds)].sort() }),
            { table: 'documents', column: 'record', rowId: id },
            this.ctx.random,
          ),
          created_at: this.ctx.now(),
          reissue_of: reissueOf,
        },
        pseudonymIds,
      );
      this.audit.append(`document.${kind}`, id, { case: c.id, worker: record.worker, pseudonyms: [...new Set(pseudonymIds)], reissue_of: reissueOf });
      return id;
    });
  }

  /**
   * Registers documents in one transaction and runs `place` (which puts the
   * files on disk) inside it: if placing fails, nothing is registered; if
   * registering fails, nothing is placed. One commit for a whole batch.
   */
  registerAll(
    items: readonly { kind: 'render' | 'redact'; record: DocumentRecord; pseudonymIds: readonly string[]; reissueOf?: string | null }[],
    place: () => void,
  ): string[] {
    return this.ctx.store.transaction(() => {
      const ids = items.map((i) => this.register(i.kind, i.record, i.pseudonymIds, i.reissueOf ?? null));
      place();
      return ids;
    });
  }

  /**
   * Opens a row's sealed record (verify calls this for every row), and checks
   * that the links rotation uses still say what the sealed record says.
   */
  check(row: DocumentRow): string | null {
    const v = this.view(row);
    const linked = this.ctx.documents.pseudonymsOf(row.id).sort();
    return JSON.stringify(v.pseudonym_ids ?? []) === JSON.stringify(linked) ? null : `document ${row.id}: its pseudonym links do not match its sealed record (rotation would miss it)`;
  }

  view(row: DocumentRow): DocumentView {
    const record = JSON.parse(openField(this.ctx.key('casefacing'), row.record, { table: 'documents', column: 'record', rowId: row.id })) as DocumentRecord;
    return { id: row.id, kind: row.kind, created_at: row.created_at, reissue_of: row.reissue_of, ...record };
  }

  get(id: string): DocumentView {
    const row = isDocumentId(id) ? this.ctx.documents.byId(id) : undefined;
    if (!row) throw new UsageError(`no document ${id}`, 'document ids look like D-7k2m9q4x; "schuilnaam document list" shows them');
    return this.view(row);
  }

  list(reference?: string): DocumentView[] {
    const caseId = reference === undefined ? undefined : this.cases.find(reference).id;
    return this.ctx.documents.list(caseId).map((r) => this.view(r));
  }

  /** Documents already issued that carry any of these pseudonyms. */
  carrying(pseudonymIds: readonly string[]): DocumentImpact[] {
    return this.ctx.documents.carrying(pseudonymIds).map((r) => {
      const v = this.view(r);
      return { id: v.id, case: v.case, template: v.template, path: v.path };
    });
  }
}
