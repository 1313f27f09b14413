// Pseudonyms: stable per (worker, scope), never issued twice, never like a
// real worker's surname. Uniqueness and resemblance are index lookups, so
// issuing does not slow down as the vault grows.
import { isScope, type Scope } from '../core/case-fields.js';
import { ID_RANDOM_BYTES, isWorkerId, randomId } from '../core/ids.js';
import { foldName } from '../core/name-forms.js';
import { drawCode, drawName, isValidCode, looksLikeCode, pseudonymKey, type Candidate, type NamePools, type PseudonymStyle } from '../core/pseudonym-gen.js';
import { canonicalEmployeeNo } from '../core/worker-fields.js';
import { AccessError, SchuilnaamError, UsageError, ExitCode } from '../errors.js';
import type { CaseRow, PseudonymRow, PseudonymStatus } from '../store/casefacing.js';
import type { WorkerRow } from '../store/store.js';
import type { AuditLog } from './audit.js';
import type { Cases } from './cases.js';
import type { VaultContext } from './context.js';
import { openField, sealField } from './sealing.js';
import type { Teams } from './teams.js';
import type { ScanIndex } from './scan-index.js';

export interface PseudonymView {
  id: string;
  pseudonym: string;
  formal: string;
  worker: string;
  case: string | null;
  scope: Scope;
  style: PseudonymStyle;
  status: PseudonymStatus;
  issued_at: string;
  ended_at: string | null;
  replaced_by: string | null;
}

/** A pseudonym just issued, with its plaintext (so it need not be decrypted again). */
export interface Issued {
  row: PseudonymRow;
  name: string;
  formal: string;
}

export interface HistoryEntry extends PseudonymView {
  reason: string | null;
  compromise: string | null;
}

const MAX_ATTEMPTS = 400;

/** What decides who a pseudonym belongs to, whether it is active, and what replaced it. */
const PSEUDONYM_TABLES = ['pseudonyms'] as const;
/** What decides which names are free: checked only when a new pseudonym is drawn. */
const GUARD_TABLES = ['pseudonym_guards', 'name_guards'] as const;

export class Pseudonyms {
  constructor(
    private readonly ctx: VaultContext,
    private readonly audit: AuditLog,
    private readonly cases: Cases,
    private readonly teams: Teams,
    private readonly pools: () => NamePools,
    private readonly scanIndex?: ScanIndex,
  ) {}

  /** Ends an active pseudonym; from then on the leak scanner treats the name as a leak. Call inside a transaction. */
  end(row: PseudonymRow, e: { status: 'retired' | 'compromised'; reason: string; compromiseId: string | null }): void {
    this.ctx.cases.endPseudonym(row.id, {
      status: e.status,
      at: this.ctx.now(),
      reason: sealField(this.ctx.key('casefacing'), e.reason, { table: 'pseudonyms', column: 'end_reason', rowId: row.id }, this.ctx.random),
      replacedBy: null,
      compromiseId: e.compromiseId,
    });
    this.scanIndex?.addRetiredPseudonym(row.id, row.worker_id, this.open(row, 'name'), this.open(row, 'formal'));
  }

  private open(row: PseudonymRow, column: 'name' | 'formal' | 'end_reason'): string {
    return openField(this.ctx.key('casefacing'), row[column], { table: 'pseudonyms', column, rowId: row.id });
  }

  /** A row as users see it; `plain` skips decrypting a name that was just issued. */
  view(row: PseudonymRow, plain?: { name: string; formal: string }): PseudonymView {
    const replacement = row.replaced_by ? this.ctx.cases.pseudonymById(row.replaced_by) : undefined;
    return {
      id: row.id,
      pseudonym: plain?.name ?? this.open(row, 'name'),
      formal: plain?.formal ?? this.open(row, 'formal'),
      worker: row.worker_id,
      case: row.case_id ? this.cases.referenceById(row.case_id) : null,
      scope: row.scope,
      style: row.style,
      status: row.status,
      issued_at: row.issued_at,
      ended_at: row.ended_at,
      replaced_by: replacement ? this.open(replacement, 'name') : null,
    };
  }

  private worker(id: string): WorkerRow {
    const w = isWorkerId(id) ? this.ctx.store.worker(id) : undefined;
    if (!w) throw new UsageError(`no worker ${id}`, 'run "schuilnaam worker list" to see the ids');
    return w;
  }

  /** A candidate is free when its name was never issued and its surname resembles no real worker's. */
  private isFree(c: Candidate, caseFormals: Set<string>): Uint8Array | undefined {
    const index = this.ctx.lookup('pseudonym', pseudonymKey(c.name));
    if (this.ctx.cases.nameTaken(index)) return undefined;
    const guards = c.surnameKeys.map((k) => this.ctx.guard('surname', k));
    if (c.style === 'code') {
      guards.push(this.ctx.guard('employee_no', canonicalEmployeeNo(c.name)), this.ctx.guard('employee_no', canonicalEmployeeNo(c.name.slice(0, -2))));
    }
    if (this.ctx.store.anyGuard(guards)) return undefined;
    if (caseFormals.has(foldName(c.formal))) return undefined;
    return index;
  }

  /** Issues a new active pseudonym. Call inside a transaction. */
  issue(workerId: string, caseRow: CaseRow | null, scope: Scope, style: PseudonymStyle, policy = this.policyFor(workerId, caseRow)): Issued {
    // A gutted guard table would let a new name resemble a real worker's.
    this.ctx.requireIntact([...PSEUDONYM_TABLES, ...GUARD_TABLES]);
    // Codes are unique as they are; only name styles can share a formal form ("E. Smit").
    const caseFormals = style === 'name' ? this.formalsAlongside(workerId, caseRow) : new Set<string>();
    const pools = style === 'name' ? this.pools() : undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      // Codes widen by a digit each 50 misses, so a crowded prefix never runs dry.
      const digits = Math.min(9, policy.code_digits + Math.floor(attempt / 50));
      const c = pools ? drawName(pools, this.ctx.random) : drawCode(policy.code_prefix, digits, this.ctx.random);
      const index = this.isFree(c, caseFormals);
      if (!index) continue;
      let id: string;
      do id = randomId('P', this.ctx.random(ID_RANDOM_BYTES));
      while (this.ctx.cases.pseudonymExists(id));
      const k = this.ctx.key('casefacing');
      const row: PseudonymRow = {
        id,
        worker_id: workerId,
        case_id: caseRow?.id ?? null,
        scope,
        style,
        status: 'active',
        name: sealField(k, c.name, { table: 'pseudonyms', column: 'name', rowId: id }, this.ctx.random),
        formal: sealField(k, c.formal, { table: 'pseudonyms', column: 'formal', rowId: id }, this.ctx.random),
        name_index: index,
        issued_at: this.ctx.now(),
        ended_at: null,
        end_reason: null,
        replaced_by: null,
        compromise_id: null,
      };
      this.ctx.cases.insertPseudonym(row);
      for (const key of c.surnameKeys) this.ctx.cases.insertPseudonymGuard(this.ctx.guard('surname', key), id);
      this.audit.append('pseudonym.issue', id, { worker: workerId, case: caseRow?.id ?? null, scope, style });
      return { row, name: c.name, formal: c.formal };
    }
    throw new SchuilnaamError(ExitCode.usage, `no free ${style} pseudonym found after ${MAX_ATTEMPTS} tries`, style === 'name' ? 'the name lists are exhausted for this vault; switch the team to code style' : 'raise the digits with "schuilnaam team set TEAM --code-digits N" (or --default)');
  }

  /**
   * Formal forms ("E. Smit") a new pseudonym must not repeat: those active in
   * the case (case-scoped, and worker-wide ones of its workers), or for a
   * worker-wide pseudonym, those in every case of the worker.
   */
  private formalsAlongside(workerId: string, caseRow: CaseRow | null): Set<string> {
    const cs = this.ctx.cases;
    const caseIds = caseRow ? [caseRow.id] : cs.casesOfWorker(workerId);
    const out = new Set<string>();
    const seenWorkers = new Set<string>();
    for (const caseId of caseIds) {
      for (const r of cs.activeInCase(caseId)) out.add(foldName(this.open(r, 'formal')));
      for (const w of cs.workersOfCase(caseId)) {
        if (seenWorkers.has(w)) continue;
        seenWorkers.add(w);
        const wide = cs.activeWorkerWide(w);
        if (wide) out.add(foldName(this.open(wide, 'formal')));
      }
    }
    return out;
  }

  /** The settings that apply: the case's team, else (worker-wide names) the worker's team, else the vault defaults. */
  private policyFor(workerId: string, caseRow: CaseRow | null) {
    if (caseRow) return this.teams.policy(this.cases.team(caseRow));
    const w = this.ctx.store.worker(workerId);
    const team = w?.team ? openField(this.ctx.key('casefacing'), w.team, { table: 'workers', column: 'team', rowId: w.id }) : '';
    return this.teams.policy(team || null);
  }

  /** The active pseudonym of a worker for a case; issues one on first use. */
  get(reference: string, workerId: string, opts: { scope?: string; style?: string } = {}): PseudonymView & { issued: boolean } {
    this.ctx.requireIntact(PSEUDONYM_TABLES);
    if (opts.scope !== undefined && !isScope(opts.scope)) throw new UsageError(`invalid scope "${opts.scope}"`, 'use case or worker');
    if (opts.style !== undefined && opts.style !== 'name' && opts.style !== 'code') throw new UsageError(`invalid style "${opts.style}"`, 'use name or code');
    return this.ctx.store.transaction(() => {
      const caseRow = this.cases.find(reference);
      const worker = this.worker(workerId);
      if (worker.status !== 'active') throw new UsageError(`worker ${workerId} is offboarded`);
      if (!this.ctx.cases.isAssigned(caseRow.id, workerId)) {
        throw new UsageError(`worker ${workerId} is not assigned to case "${reference}"`, `run "schuilnaam case assign ${reference} ${workerId}" first`);
      }
      const policy = this.teams.policy(this.cases.team(caseRow));
      const scope = (opts.scope as Scope | undefined) ?? policy.scope;
      // An explicit --scope gets exactly that scope's name. Without one, a name
      // this case already has stays, even if the team's default scope changed since.
      const existing = opts.scope
        ? this.ctx.cases.activePseudonym(workerId, scope, scope === 'case' ? caseRow.id : null)
        : (this.ctx.cases.activePseudonym(workerId, 'case', caseRow.id) ?? (scope === 'worker' ? this.ctx.cases.activeWorkerWide(workerId) : undefined));
      // A worker-wide pseudonym is reported for the case it was asked for.
      if (existing) return { ...this.view(existing), case: this.cases.reference(caseRow), issued: false };
      const owner = scope === 'case' ? caseRow : null;
      const ownerPolicy = scope === 'case' ? policy : this.policyFor(workerId, null);
      const fresh = this.issue(workerId, owner, scope, (opts.style as PseudonymStyle | undefined) ?? ownerPolicy.style, ownerPolicy);
      return { ...this.view(fresh.row, fresh), case: this.cases.reference(caseRow), issued: true };
    });
  }

  /** Finds a pseudonym by its name or code, in any status. A code with a wrong check character is a typo. */
  find(name: string): PseudonymRow {
    this.ctx.requireIntact(PSEUDONYM_TABLES);
    if (looksLikeCode(name) && !isValidCode(name)) {
      throw new UsageError(`"${name}" is not a valid code: its check character does not match`, 'check the code for a mistyped character');
    }
    const row = this.ctx.cases.pseudonymByIndex(this.ctx.lookup('pseudonym', pseudonymKey(name)));
    if (!row) throw new UsageError(`no pseudonym "${name}" in this vault`);
    return row;
  }

  /**
   * A caseworker sees a colleague's pseudonyms only through a case of her
   * own: all names of one worker across cases would map that colleague.
   */
  private ownWorkerOnly(workerId: string): void {
    if (this.ctx.role === 'caseworker' && workerId !== this.ctx.worker) {
      throw new AccessError('the caseworker role may list the pseudonyms of her own worker record only', 'use --case REF for a case of yours; admin or security may list any worker\'s');
    }
  }

  list(filter: { case?: string; worker?: string }): PseudonymView[] {
    this.ctx.requireIntact(PSEUDONYM_TABLES);
    return this.ctx.store.read(() => {
      if (filter.case) {
        const c = this.cases.find(filter.case);
        const caseRows = this.ctx.cases.pseudonymsOfCase(c.id);
        // Worker-wide pseudonyms of the case's workers are visible in the case too.
        const wide = this.ctx.cases.workersOfCase(c.id).flatMap((w) => this.ctx.cases.pseudonymsOfWorker(w).filter((p) => p.scope === 'worker'));
        return [...caseRows, ...wide].map((r) => this.view(r));
      }
      if (filter.worker) {
        this.ownWorkerOnly(filter.worker);
        this.worker(filter.worker);
        return this.ctx.cases.pseudonymsOfWorker(filter.worker).map((r) => this.view(r));
      }
      throw new UsageError('give --case REF or --worker ID');
    });
  }

  history(workerId: string): HistoryEntry[] {
    this.ctx.requireIntact(PSEUDONYM_TABLES);
    this.ownWorkerOnly(workerId);
    return this.ctx.store.read(() => {
      this.worker(workerId);
      return this.ctx.cases.pseudonymsOfWorker(workerId).map((r) => ({
        ...this.view(r),
        reason: r.end_reason ? this.open(r, 'end_reason') : null,
        compromise: r.compromise_id,
      }));
    });
  }

  /** De-pseudonymisation: which worker is behind a name. Privileged and always audited with a reason. */
  resolve(name: string, reason: string): PseudonymView {
    this.ctx.require('pseudonyms.resolve');
    if (reason.trim() === '') throw new UsageError('a reason is required', 'say why with --reason "…"; it is kept, encrypted, in the audit log');
    const found = this.ctx.store.transaction(() => {
      let row: PseudonymRow;
      try {
        row = this.find(name);
      } catch (e) {
        // A lookup that finds nothing is recorded too: probing for names is worth knowing about.
        if (!(e instanceof UsageError)) throw e;
        this.audit.append('pseudonym.resolve-miss', 'vault', {}, reason.trim());
        return e;
      }
      this.audit.append('pseudonym.resolve', row.id, { worker: row.worker_id }, reason.trim());
      return this.view(row);
    });
    if (found instanceof UsageError) throw found;
    return found;
  }

  /** Retires every active pseudonym of a worker (offboarding). Call inside a transaction. */
  retireAllOf(workerId: string, reason: string): number {
    const rows = this.ctx.cases.activeOfWorker(workerId);
    for (const r of rows) {
      this.end(r, { status: 'retired', reason, compromiseId: null });
      this.audit.append('pseudonym.retire', r.id, { worker: workerId });
    }
    return rows.length;
  }
}
