// The register of documents this tool produced: what each was made from and
// which pseudonyms it carries, so that rotation can say which letters already
// sent carry a compromised name, and --reissue can make them again.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ID_RANDOM_BYTES, randomId } from '../core/ids.js';
import { AccessError, UsageError } from '../errors.js';
import type { DocumentRow } from '../store/documents.js';
import type { AuditLog } from './audit.js';
import type { Cases } from './cases.js';
import type { VaultContext } from './context.js';
import { openField, sealField } from './sealing.js';
import { processAlive, STALE_AFTER_MS, staleLeftovers } from './staging.js';

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
  /** The id of the process that wrote it: a pending document is settled only once that run is over. */
  writer_pid?: number;
}

export interface DocumentView extends DocumentRecord {
  id: string;
  kind: 'render' | 'redact';
  created_at: string;
  reissue_of: string | null;
  /** 'pending': registered, but its run stopped before it was known to be in place; the file may be out there. */
  state: 'pending' | 'complete';
}

export interface DocumentImpact {
  id: string;
  case: string;
  template: string;
  path: string;
  state: 'pending' | 'complete';
}

export interface NewDocument {
  kind: 'render' | 'redact';
  record: DocumentRecord;
  pseudonymIds: readonly string[];
  reissueOf?: string | null;
}

/** What became of pending documents left by interrupted runs. */
export interface Settled {
  /** Their file is in place and matches: now complete. */
  completed: string[];
  /** Their file never reached its place (only its temporary file was left): removed from the register. */
  removed: string[];
  /** Temporary files removed with them. */
  leftovers: string[];
}

function sha256Of(file: string): string | undefined {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
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

  /**
   * Registers documents as pending, in one commit, before any of their files
   * is renamed into place: from then on, whatever happens to the process, a
   * file this tool puts in place is one the register knows (and a rotation
   * lists). `complete` follows once the files are in place.
   */
  registerPending(items: readonly NewDocument[]): string[] {
    return this.ctx.store.transaction(() => items.map((i) => this.insert(i.kind, i.record, i.pseudonymIds, i.reissueOf ?? null)));
  }

  /** Marks documents complete: their files are in place. One commit. */
  complete(ids: readonly string[]): void {
    if (ids.length === 0) return;
    this.ctx.store.transaction(() => this.ctx.documents.complete(ids));
  }

  /**
   * Takes pending documents out of the register after their files were
   * removed again (a write that failed cleanly, e.g. a full disk). Audited.
   */
  withdraw(ids: readonly string[], reason: string): number {
    if (ids.length === 0) return 0;
    return this.ctx.store.transaction(() => {
      const n = this.ctx.documents.removePending(ids);
      if (n > 0) this.audit.append('document.withdraw', ids.length === 1 ? ids[0]! : `${ids.length} documents`, { documents: [...ids], reason });
      return n;
    });
  }

  private insert(kind: 'render' | 'redact', record: DocumentRecord, pseudonymIds: readonly string[], reissueOf: string | null): string {
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
          JSON.stringify({ ...record, pseudonym_ids: [...new Set(pseudonymIds)].sort(), writer_pid: process.pid }),
          { table: 'documents', column: 'record', rowId: id },
          this.ctx.random,
        ),
        created_at: this.ctx.now(),
        reissue_of: reissueOf,
        state: 'pending',
      },
      pseudonymIds,
    );
    this.audit.append(`document.${kind}`, id, { case: c.id, worker: record.worker, pseudonyms: [...new Set(pseudonymIds)], reissue_of: reissueOf });
    return id;
  }

  /**
   * Settles what interrupted runs left: a pending document whose file is in
   * place with its registered sha256 becomes complete; one whose file never
   * got there (its run is over and its temporary file, with the same sha256,
   * is still there) is taken out of the register and the temporary file
   * removed. A pending document with neither stays pending: its file may
   * have been moved or sent, so a rotation must keep listing it.
   */
  settlePending(): Settled {
    const out: Settled = { completed: [], removed: [], leftovers: [] };
    const pending = this.ctx.documents.pending();
    if (pending.length === 0) return out;
    const unplaced: { id: string; tmp: string }[] = [];
    const now = Date.parse(this.ctx.now());
    for (const row of pending) {
      const v = this.view(row);
      // Another run may be writing it right now: leave it to that run.
      const running = v.writer_pid !== undefined && processAlive(v.writer_pid) && now - Date.parse(v.created_at) < STALE_AFTER_MS;
      if (running) continue;
      if (sha256Of(v.path) === v.sha256) {
        out.completed.push(v.id);
        continue;
      }
      // Its temporary file still there means the rename never happened
      // (a rename consumes it), whatever is at the path now.
      const left = staleLeftovers(path.dirname(v.path)).find((l) => l.target === v.path && sha256Of(l.tmp) === v.sha256);
      if (left) unplaced.push({ id: v.id, tmp: left.tmp });
    }
    this.complete(out.completed);
    if (unplaced.length > 0) {
      this.withdraw(unplaced.map((u) => u.id), 'its run was interrupted before the file was put in place');
      for (const u of unplaced) {
        fs.rmSync(u.tmp, { force: true });
        out.removed.push(u.id);
        out.leftovers.push(u.tmp);
      }
    }
    return out;
  }

  /**
   * One line per pending document, for verify: whether its file is there and
   * is the one registered. Pending documents are left by a run that was
   * interrupted; the next render or redact settles the ones it can.
   */
  pendingProblems(): string[] {
    return this.ctx.documents.pending().map((row) => {
      const v = this.view(row);
      const actual = sha256Of(v.path);
      if (actual === v.sha256) return `document ${v.id} is pending: ${v.path} was written but not marked complete (the next render or redact completes it)`;
      if (actual !== undefined) return `document ${v.id} is pending: ${v.path} exists but is not the file registered (its sha256 differs)`;
      return `document ${v.id} is pending: ${v.path} does not exist; it was never put in place, or it was moved or sent after an interrupted run (a rotation lists it)`;
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
    return { id: row.id, kind: row.kind, created_at: row.created_at, reissue_of: row.reissue_of, state: row.state, ...record };
  }

  get(id: string): DocumentView {
    const row = isDocumentId(id) ? this.ctx.documents.byId(id) : undefined;
    if (!row) throw new UsageError(`no document ${id}`, 'document ids look like D-7k2m9q4x; "schuilnaam document list" shows them');
    if (!this.cases.isOwn(row.case_id)) throw new AccessError(`document ${id} is not of one of your cases`, 'a caseworker sees the documents of the cases assigned to her own worker record');
    return this.view(row);
  }

  list(reference?: string): DocumentView[] {
    const caseId = reference === undefined ? undefined : this.cases.find(reference).id;
    return this.ctx.documents
      .list(caseId)
      .filter((r) => this.cases.isOwn(r.case_id))
      .map((r) => this.view(r));
  }

  /** Documents already issued that carry any of these pseudonyms. */
  carrying(pseudonymIds: readonly string[]): DocumentImpact[] {
    return this.ctx.documents.carrying(pseudonymIds).map((r) => {
      const v = this.view(r);
      return { id: v.id, case: v.case, template: v.template, path: v.path, state: v.state };
    });
  }
}
