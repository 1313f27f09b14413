// Compromise and rotation: the affected pseudonyms are retired as compromised
// (when, why, who) and replaced in the same scopes, in one transaction.
import { ID_RANDOM_BYTES, isWorkerId, randomId } from '../core/ids.js';
import { UsageError } from '../errors.js';
import type { CaseRow, PseudonymRow } from '../store/casefacing.js';
import type { AuditLog } from './audit.js';
import type { Cases } from './cases.js';
import type { DocumentImpact, Documents } from './documents.js';
import type { VaultContext } from './context.js';
import type { Pseudonyms } from './pseudonyms.js';
import { sealField } from './sealing.js';

export type RotateTarget = { pseudonym: string } | { worker: string } | { case: string };

export interface RotateOptions {
  reason: string;
  how?: string;
  leakedAt?: string;
  dryRun?: boolean;
}

export interface RotatedEntry {
  old: string;
  new: string | null;
  worker: string;
  case: string | null;
  scope: 'case' | 'worker';
}

export interface RotateResult {
  dry_run: boolean;
  compromise: string | null;
  target: string;
  rotated: RotatedEntry[];
  cases: string[];
  documents: DocumentImpact[];
}

export class Rotation {
  constructor(
    private readonly ctx: VaultContext,
    private readonly audit: AuditLog,
    private readonly cases: Cases,
    private readonly pseudonyms: Pseudonyms,
    private readonly documents: Documents,
  ) {}

  /** The active pseudonyms a target covers, and a description of the target. */
  private affected(target: RotateTarget): { rows: PseudonymRow[]; kind: 'pseudonym' | 'worker' | 'case'; label: string } {
    const cs = this.ctx.cases;
    if ('pseudonym' in target) {
      const row = this.pseudonyms.find(target.pseudonym);
      if (row.status !== 'active') {
        throw new UsageError(`pseudonym "${target.pseudonym}" is already ${row.status}`, 'it is never issued again; nothing to rotate');
      }
      return { rows: [row], kind: 'pseudonym', label: row.id };
    }
    if ('worker' in target) {
      const w = isWorkerId(target.worker) ? this.ctx.store.worker(target.worker) : undefined;
      if (!w) throw new UsageError(`no worker ${target.worker}`, 'run "schuilnaam worker list" to see the ids');
      return { rows: cs.activeOfWorker(w.id), kind: 'worker', label: w.id };
    }
    const c = this.cases.find(target.case);
    // Worker-wide pseudonyms of the case's workers are seen by this family too.
    const wide = cs.workersOfCase(c.id).flatMap((w) => cs.activeWorkerWide(w) ?? []);
    return { rows: [...cs.activeInCase(c.id), ...wide], kind: 'case', label: c.id };
  }

  rotate(target: RotateTarget, o: RotateOptions): RotateResult {
    this.ctx.require('pseudonyms.rotate');
    // What a rotation retires and the letters it lists must be what was written.
    this.ctx.requireIntact(['pseudonyms', 'pseudonym_guards', 'name_guards', 'scan_index', 'documents', 'document_pseudonyms']);
    if (o.reason.trim() === '') throw new UsageError('a reason is required', 'say what leaked with --reason "…"');
    if (o.leakedAt !== undefined && Number.isNaN(new Date(o.leakedAt).getTime())) {
      throw new UsageError(`invalid --leaked-at "${o.leakedAt}"`, 'use a date such as 2026-11-20 or 2026-11-20T14:30');
    }
    const run = () => {
      const { rows, kind, label } = this.affected(target);
      const caseRows = new Map<string, CaseRow>();
      const caseOf = (id: string | null) => {
        if (!id) return null;
        let row = caseRows.get(id);
        if (!row) caseRows.set(id, (row = this.ctx.cases.caseById(id)!));
        return row;
      };
      const refOf = (row: CaseRow | null) => (row ? this.cases.reference(row) : null);
      const affectedCases = new Set<string>();
      for (const r of rows) {
        if (r.case_id) affectedCases.add(r.case_id);
        else for (const c of this.ctx.cases.casesOfWorker(r.worker_id)) affectedCases.add(c);
      }
      const result: RotateResult = {
        dry_run: Boolean(o.dryRun),
        compromise: null,
        target: label,
        rotated: [],
        cases: [...affectedCases].map((id) => refOf(caseOf(id))!).sort(),
        // Letters already sent with an old name: they cannot be recalled, but they can be reissued.
        documents: this.documents.carrying(rows.map((r) => r.id)),
      };
      if (o.dryRun) {
        result.rotated = rows.map((r) => ({ old: this.pseudonyms.view(r).pseudonym, new: null, worker: r.worker_id, case: refOf(caseOf(r.case_id)), scope: r.scope }));
        return result;
      }
      const now = this.ctx.now();
      const k = this.ctx.key('casefacing');
      let compromiseId: string;
      do compromiseId = randomId('X', this.ctx.random(ID_RANDOM_BYTES));
      while (this.ctx.cases.compromiseExists(compromiseId));
      const details = JSON.stringify({ reason: o.reason.trim(), how: o.how ?? null, leaked_at: o.leakedAt ?? null, target: label });
      this.ctx.cases.insertCompromise({
        id: compromiseId,
        recorded_at: now,
        recorded_by: this.ctx.user,
        target: kind,
        details: sealField(k, details, { table: 'compromises', column: 'details', rowId: compromiseId }, this.ctx.random),
      });
      this.audit.append('compromise.record', compromiseId, { target: kind, subject: label, pseudonyms: rows.length }, o.reason.trim());
      for (const r of rows) {
        const oldName = this.pseudonyms.view(r).pseudonym;
        this.pseudonyms.end(r, { status: 'compromised', reason: o.reason.trim(), compromiseId });
        const caseRow = caseOf(r.case_id);
        const fresh = this.pseudonyms.issue(r.worker_id, caseRow, r.scope, r.style);
        this.ctx.cases.setReplacedBy(r.id, fresh.row.id);
        this.audit.append('pseudonym.rotate', r.id, { new: fresh.row.id, compromise: compromiseId });
        result.rotated.push({ old: oldName, new: fresh.name, worker: r.worker_id, case: refOf(caseRow), scope: r.scope });
      }
      result.compromise = compromiseId;
      return result;
    };
    return o.dryRun ? this.ctx.store.read(run) : this.ctx.store.transaction(run);
  }
}
