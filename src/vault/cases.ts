// Cases: a reference, a team and a risk level, nothing about the family.
import { caseReferenceKey, isRisk, validateCaseReference, validateTeamName, type Risk } from '../core/case-fields.js';
import { ID_RANDOM_BYTES, isWorkerId, randomId } from '../core/ids.js';
import { AccessError, UsageError } from '../errors.js';
import type { CaseRow } from '../store/casefacing.js';
import type { AuditLog } from './audit.js';
import type { VaultContext } from './context.js';
import { openField, sealField } from './sealing.js';

export interface CaseView {
  id: string;
  reference: string;
  team: string | null;
  risk: Risk;
  workers: string[];
  created_at: string;
}

export class Cases {
  constructor(
    private readonly ctx: VaultContext,
    private readonly audit: AuditLog,
  ) {}

  /** The case row for a reference, or exit 2 naming it. */
  find(reference: string): CaseRow {
    const row = this.ctx.cases.caseByIndex(this.ctx.lookup('case', caseReferenceKey(reference)));
    if (!row) throw new UsageError(`no case "${reference}"`, 'run "schuilnaam case list", or add it with "schuilnaam case add"');
    if (!this.isOwn(row.id)) {
      throw new AccessError(`case "${reference}" is not one of your cases`, 'a caseworker works on the cases assigned to her own worker record; ask an administrator to assign it');
    }
    return row;
  }

  /**
   * A caseworker works on the cases assigned to her worker record only. Policy
   * on a vault file (she holds the case-facing key); the server's to enforce
   * on a shared database.
   */
  isOwn(caseId: string | null): boolean {
    if (this.ctx.role !== 'caseworker') return true;
    return caseId !== null && this.ctx.worker !== null && this.ctx.cases.workersOfCase(caseId).includes(this.ctx.worker);
  }

  private open(row: CaseRow, column: 'reference' | 'team' | 'risk'): string {
    return openField(this.ctx.key('casefacing'), row[column], { table: 'cases', column, rowId: row.id });
  }

  /** A case's reference and team are decrypted once per process (update() refreshes them). */
  private readonly plain = new Map<string, { reference: string; team: string | null }>();

  private plainOf(row: CaseRow): { reference: string; team: string | null } {
    let p = this.plain.get(row.id);
    if (!p) {
      p = { reference: this.open(row, 'reference'), team: this.open(row, 'team') || null };
      this.plain.set(row.id, p);
    }
    return p;
  }

  reference(row: CaseRow): string {
    return this.plainOf(row).reference;
  }

  referenceById(id: string): string {
    return this.plain.get(id)?.reference ?? this.reference(this.ctx.cases.caseById(id)!);
  }

  team(row: CaseRow): string | null {
    return this.plainOf(row).team;
  }

  view(row: CaseRow): CaseView {
    return {
      id: row.id,
      reference: this.reference(row),
      team: this.team(row),
      risk: this.open(row, 'risk') as Risk,
      workers: this.ctx.cases.workersOfCase(row.id),
      created_at: row.created_at,
    };
  }

  add(rawRef: string, rawTeam: string | undefined, risk: string): CaseView {
    this.ctx.require('cases.change');
    const reference = validateCaseReference(rawRef);
    if (!reference) throw new UsageError('invalid case reference', 'use up to 64 letters, digits, spaces and . _ / # -');
    const team = rawTeam === undefined || rawTeam === '' ? '' : validateTeamName(rawTeam);
    if (team === undefined) throw new UsageError('invalid team name');
    if (!isRisk(risk)) throw new UsageError(`invalid risk "${risk}"`, 'use normal or high');
    return this.ctx.store.transaction(() => {
      const index = this.ctx.lookup('case', caseReferenceKey(reference));
      if (this.ctx.cases.caseByIndex(index)) throw new UsageError(`case "${reference}" already exists`);
      let id: string;
      do id = randomId('C', this.ctx.random(ID_RANDOM_BYTES));
      while (this.ctx.cases.caseExists(id));
      const k = this.ctx.key('casefacing');
      const now = this.ctx.now();
      const seal = (column: string, v: string) => sealField(k, v, { table: 'cases', column, rowId: id }, this.ctx.random);
      this.ctx.cases.insertCase({
        id,
        ref_index: index,
        reference: seal('reference', reference),
        team: seal('team', team),
        risk: seal('risk', risk),
        created_at: now,
        updated_at: now,
      });
      this.audit.append('case.add', id);
      return this.view(this.ctx.cases.caseById(id)!);
    });
  }

  /**
   * Changes a case's team (which decides the team name, contact details and
   * pseudonym policy of what is issued from now on) or risk level.
   */
  update(reference: string, patch: { team?: string; risk?: string }): CaseView {
    this.ctx.require('cases.change');
    const team = patch.team === undefined ? undefined : patch.team === '' ? '' : validateTeamName(patch.team);
    if (team === undefined && patch.team !== undefined) throw new UsageError('invalid team name');
    if (patch.risk !== undefined && !isRisk(patch.risk)) throw new UsageError(`invalid risk "${patch.risk}"`, 'use normal or high');
    if (patch.team === undefined && patch.risk === undefined) throw new UsageError('nothing to change', 'give --team or --risk');
    return this.ctx.store.transaction(() => {
      const row = this.find(reference);
      const current = this.view(row);
      const k = this.ctx.key('casefacing');
      const seal = (column: string, v: string) => sealField(k, v, { table: 'cases', column, rowId: row.id }, this.ctx.random);
      this.ctx.cases.updateCase(row.id, seal('team', team ?? current.team ?? ''), seal('risk', patch.risk ?? current.risk), this.ctx.now());
      this.plain.delete(row.id);
      this.audit.append('case.update', row.id, { fields: Object.keys(patch).filter((f) => patch[f as keyof typeof patch] !== undefined) });
      return this.view(this.ctx.cases.caseById(row.id)!);
    });
  }

  assign(reference: string, workerId: string): CaseView {
    this.ctx.require('cases.change');
    return this.ctx.store.transaction(() => {
      const row = this.find(reference);
      const worker = isWorkerId(workerId) ? this.ctx.store.worker(workerId) : undefined;
      if (!worker) throw new UsageError(`no worker ${workerId}`, 'run "schuilnaam worker list" to see the ids');
      if (worker.status !== 'active') throw new UsageError(`worker ${workerId} is offboarded`);
      if (this.ctx.cases.assign(row.id, workerId, this.ctx.now())) this.audit.append('case.assign', row.id, { worker: workerId });
      return this.view(row);
    });
  }

  show(reference: string): CaseView {
    return this.view(this.find(reference));
  }

  list(): CaseView[] {
    return this.ctx.store.read(() => this.ctx.cases.cases().filter((r) => this.isOwn(r.id)).map((r) => this.view(r)));
  }
}
