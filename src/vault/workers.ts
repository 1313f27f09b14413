// Workers: identity fields sealed under a per-worker data key (so one worker
// can be crypto-shredded), blind indexes for exact lookups, team sealed under
// the case-facing key. Every write is one transaction.
import { blindIndex } from '../crypto/blind-index.js';
import { wipe } from '../crypto/sodium.js';
import { ID_RANDOM_BYTES, isWorkerId, randomId } from '../core/ids.js';
import {
  applyWorkerUpdate,
  canonicalEmail,
  canonicalEmployeeNo,
  FieldError,
  IDENTITY_FIELDS,
  WORKER_FIELDS,
  validateWorker,
  type WorkerInput,
  type WorkerRecord,
} from '../core/worker-fields.js';
import { BusyError, UsageError } from '../errors.js';
import type { SealedWorkerColumns, WorkerRow } from '../store/store.js';
import { openField, openKey, sealField, sealKey } from './sealing.js';
import type { AuditLog } from './audit.js';
import type { ScanIndex } from './scan-index.js';
import type { VaultContext } from './context.js';
import { surnameKeys } from '../core/name-forms.js';
import { faultPoint } from '../fault.js';

export type WorkerStatus = 'active' | 'offboarded';

/** The shape of `worker list --json`; identity fields are null where the role may not see them or the worker is shredded. */
export interface WorkerView {
  id: string;
  first_name: string | null;
  prefix: string | null;
  last_name: string | null;
  initials: string | null;
  email: string | null;
  phone: string | null;
  employee_no: string | null;
  team: string | null;
  status: WorkerStatus;
}

export interface WorkerDetail extends WorkerView {
  created_at: string;
  updated_at: string;
  offboarded_at: string | null;
}

export interface ImportRow {
  line: number;
  input: WorkerInput;
}

const BI_EMAIL = 'email';
const BI_EMPLOYEE_NO = 'employee_no';

function nullIfEmpty(value: string): string | null {
  return value === '' ? null : value;
}

export class Workers {
  constructor(
    private readonly v: VaultContext,
    private readonly audit: AuditLog,
    /** Retires a worker's active pseudonyms; returns how many. */
    private readonly retirePseudonyms: (workerId: string, reason: string) => number,
    private readonly scanIndex: ScanIndex,
  ) {}

  private blind(domain: string, value: string): Uint8Array | null {
    if (value === '') return null;
    return blindIndex(this.v.key('blind'), domain, value);
  }

  /**
   * Keyed hashes of a worker's surname forms and personnel number, so that
   * pseudonyms can be kept unlike any real worker without decrypting names.
   */
  guardDigests(w: WorkerRecord): { surnames: Uint8Array[]; all: Uint8Array[] } {
    const surnames = surnameKeys(w.prefix, w.last_name).map((k) => this.v.guard('surname', k));
    const all = w.employee_no ? [...surnames, this.v.guard('employee_no', canonicalEmployeeNo(w.employee_no))] : surnames;
    return { surnames, all };
  }

  /** Moves the guards from the old record's forms to the new one's; warns about pseudonyms the new forms resemble. */
  private updateGuards(id: string, before: WorkerRecord | undefined, after: WorkerRecord | undefined, keepLeakForms = false): void {
    const store = this.v.store;
    if (!keepLeakForms) this.scanIndex.updateWorker(id, after);
    if (before) for (const d of this.guardDigests(before).all) store.dropGuard(d);
    if (!after) return;
    const { surnames, all } = this.guardDigests(after);
    for (const d of all) store.addGuard(d);
    for (const p of this.v.cases.activeWithSurnameGuard(surnames)) {
      const name = openField(this.v.key('casefacing'), p.name, { table: 'pseudonyms', column: 'name', rowId: p.id });
      this.v.notices.push(
        `active pseudonym "${name}" now resembles the surname of worker ${id}; rotate it: schuilnaam rotate --pseudonym "${name}" --reason "resembles a colleague" --yes`,
      );
    }
  }

  /** The blind indexes a record should have (verify compares them with the stored ones). */
  blindIndexesOf(w: WorkerRecord): { email: Uint8Array | null; employeeNo: Uint8Array | null } {
    return {
      email: this.blind(BI_EMAIL, canonicalEmail(w.email)),
      employeeNo: this.blind(BI_EMPLOYEE_NO, canonicalEmployeeNo(w.employee_no)),
    };
  }

  private seal(id: string, dataKey: Uint8Array, w: WorkerRecord): SealedWorkerColumns {
    const { random } = this.v;
    const bi = this.blindIndexesOf(w);
    const cols = {} as Record<(typeof IDENTITY_FIELDS)[number], Uint8Array>;
    for (const f of IDENTITY_FIELDS) cols[f] = sealField(dataKey, w[f], { table: 'workers', column: f, rowId: id }, random);
    return {
      ...cols,
      team: sealField(this.v.key('casefacing'), w.team, { table: 'workers', column: 'team', rowId: id }, random),
      bi_email: bi.email,
      bi_employee_no: bi.employeeNo,
    };
  }

  private dataKey(row: WorkerRow): Uint8Array {
    return openKey(this.v.key('identity'), row.data_key, { table: 'workers', column: 'data_key', rowId: row.id });
  }

  /** Decrypts a row. Throws IntegrityError naming the record if any field was tampered with or moved. */
  decrypt(row: WorkerRow): WorkerRecord | undefined {
    if (row.status === 'offboarded') return undefined;
    const dataKey = this.dataKey(row);
    try {
      const out = {} as WorkerRecord;
      for (const f of IDENTITY_FIELDS) out[f] = openField(dataKey, row[f], { table: 'workers', column: f, rowId: row.id });
      out.team = this.team(row) ?? '';
      return out;
    } finally {
      wipe(dataKey);
    }
  }

  private team(row: WorkerRow): string | null {
    if (row.team === null || !this.v.keyring.has('casefacing')) return null;
    return nullIfEmpty(openField(this.v.key('casefacing'), row.team, { table: 'workers', column: 'team', rowId: row.id }));
  }

  private view(row: WorkerRow): WorkerView {
    const canSeeIdentity = this.v.keyring.has('identity');
    const rec = canSeeIdentity ? this.decrypt(row) : undefined;
    return {
      id: row.id,
      first_name: rec ? rec.first_name : null,
      prefix: rec ? nullIfEmpty(rec.prefix) : null,
      last_name: rec ? rec.last_name : null,
      initials: rec ? nullIfEmpty(rec.initials) : null,
      email: rec ? nullIfEmpty(rec.email) : null,
      phone: rec ? nullIfEmpty(rec.phone) : null,
      employee_no: rec ? nullIfEmpty(rec.employee_no) : null,
      team: rec ? nullIfEmpty(rec.team) : this.team(row),
      status: row.status,
    };
  }

  private newId(taken: Set<string>): string {
    for (;;) {
      const id = randomId('W', this.v.random(ID_RANDOM_BYTES));
      if (!taken.has(id) && !this.v.store.workerExists(id)) return id;
    }
  }

  private insert(id: string, w: WorkerRecord, now: string): void {
    const dataKey = this.v.random(32);
    try {
      this.v.store.insertWorker({
        id,
        status: 'active',
        data_key: sealKey(this.v.key('identity'), dataKey, { table: 'workers', column: 'data_key', rowId: id }, this.v.random),
        ...this.seal(id, dataKey, w),
        created_at: now,
        updated_at: now,
        offboarded_at: null,
      });
    } finally {
      wipe(dataKey);
    }
    this.updateGuards(id, undefined, w);
  }

  /** The id of another worker holding the same e-mail or personnel number, as an error. */
  private duplicateError(w: WorkerRecord, exceptId: string | undefined, where = ''): UsageError | undefined {
    const bi = this.blindIndexesOf(w);
    const byEmail = bi.email && this.v.store.workerIdByBlindEmail(bi.email);
    if (byEmail && byEmail !== exceptId) {
      return new UsageError(`${where}another worker (${byEmail}) already has this e-mail address`, 'e-mail addresses must be unique');
    }
    const byNo = bi.employeeNo && this.v.store.workerIdByBlindEmployeeNo(bi.employeeNo);
    if (byNo && byNo !== exceptId) {
      return new UsageError(`${where}another worker (${byNo}) already has this personnel number`, 'personnel numbers must be unique');
    }
    return undefined;
  }

  add(input: WorkerInput): string {
    this.v.require('workers.change');
    const w = validated(input);
    return this.v.store.transaction(() => {
      const dup = this.duplicateError(w, undefined);
      if (dup) throw dup;
      const id = this.newId(new Set());
      this.insert(id, w, this.v.now());
      this.audit.append('worker.add', id);
      return id;
    });
  }

  /** All rows or none: every row is validated and checked for duplicates before the first insert. */
  import(rows: ImportRow[]): string[] {
    this.v.require('workers.change');
    const records: WorkerRecord[] = [];
    const seenEmail = new Map<string, number>();
    const seenNo = new Map<string, number>();
    for (const { line, input } of rows) {
      let w: WorkerRecord;
      try {
        w = validateWorker(input);
      } catch (e) {
        if (e instanceof FieldError) throw new UsageError(`line ${line}: ${e.message}`, 'nothing was imported; fix the line and run the import again');
        throw e;
      }
      const email = canonicalEmail(w.email);
      const no = canonicalEmployeeNo(w.employee_no);
      if (email && seenEmail.has(email)) throw new UsageError(`line ${line}: same e-mail address as line ${seenEmail.get(email)}`, 'nothing was imported');
      if (no && seenNo.has(no)) throw new UsageError(`line ${line}: same personnel number as line ${seenNo.get(no)}`, 'nothing was imported');
      if (email) seenEmail.set(email, line);
      if (no) seenNo.set(no, line);
      records.push(w);
    }
    const imported = this.v.store.transaction(() => {
      const ids: string[] = [];
      const taken = new Set<string>();
      const now = this.v.now();
      records.forEach((w, i) => {
        const dup = this.duplicateError(w, undefined, `line ${rows[i]!.line}: `);
        if (dup) throw new UsageError(dup.message, 'nothing was imported');
        const id = this.newId(taken);
        taken.add(id);
        this.insert(id, w, now);
        this.audit.append('worker.import', id, { line: rows[i]!.line });
        ids.push(id);
        faultPoint('imported');
      });
      return ids;
    });
    faultPoint('committed');
    return imported;
  }

  private row(id: string): WorkerRow {
    const row = isWorkerId(id) ? this.v.store.worker(id) : undefined;
    if (!row) throw new UsageError(`no worker ${id}`, 'run "schuilnaam worker list" to see the ids');
    return row;
  }

  /**
   * The real name and team behind a worker id, for `pseudonym resolve`, which
   * has already put the lookup (with its reason) in the audit log.
   */
  nameBehind(id: string): { name: string; team: string | null } | null {
    this.v.require('identities.read');
    const rec = this.decrypt(this.row(id));
    if (!rec) return null;
    return { name: [rec.first_name, rec.prefix, rec.last_name].filter(Boolean).join(' '), team: nullIfEmpty(rec.team) };
  }

  /** Refuses before anything is asked: a role that may not offboard, or an unknown id. */
  checkOffboardable(id: string): void {
    this.v.require('workers.change');
    this.row(id);
  }

  /** Every worker with their real identity; the reading is in the audit log under the reader's name. */
  list(): WorkerView[] {
    this.v.require('identities.read');
    return this.v.store.transaction(() => {
      const views = this.v.store.workers().map((r) => this.view(r));
      this.audit.append('worker.list', 'workers', { count: views.length });
      return views;
    });
  }

  /** One worker's real identity; audited like a listing. */
  show(id: string): WorkerDetail {
    this.v.require('identities.read');
    return this.v.store.transaction(() => {
      const row = this.row(id);
      this.audit.append('worker.show', row.id);
      return { ...this.view(row), created_at: row.created_at, updated_at: row.updated_at, offboarded_at: row.offboarded_at };
    });
  }

  update(id: string, input: WorkerInput): WorkerDetail {
    this.v.require('workers.change');
    this.v.store.transaction(() => {
      const row = this.row(id);
      const current = this.decrypt(row);
      if (!current) throw new UsageError(`worker ${id} is offboarded and cannot be changed`);
      let next: WorkerRecord;
      try {
        next = applyWorkerUpdate(current, input);
      } catch (e) {
        if (e instanceof FieldError) throw new UsageError(e.message);
        throw e;
      }
      const dup = this.duplicateError(next, id);
      if (dup) throw dup;
      const dataKey = this.dataKey(row);
      try {
        this.v.store.updateWorkerSealed(id, this.seal(id, dataKey, next), this.v.now());
      } finally {
        wipe(dataKey);
      }
      this.updateGuards(id, current, next);
      this.audit.append('worker.update', id, { fields: WORKER_FIELDS.filter((f) => next[f] !== current[f]) });
    });
    return this.show(id);
  }

  /**
   * Crypto-shreds the worker's identity: its data key is destroyed, the id
   * stays for the record. The keyed hashes of the worker's name forms and
   * contact details stay in the leak index unless `forget`: former staff stay
   * targets, and a letter naming one must still be stopped.
   */
  offboard(id: string, o: { forget?: boolean } = {}): WorkerDetail {
    this.v.require('workers.change');
    this.v.store.transaction(() => {
      const row = this.row(id);
      if (row.status === 'offboarded') {
        if (!o.forget) throw new UsageError(`worker ${id} is already offboarded`, 'add --forget to stop checking letters for this former worker\'s name');
        // Forgetting later: only the leak forms go.
        this.scanIndex.updateWorker(id, undefined);
        this.audit.append('worker.forget', id, {});
        return;
      }
      this.updateGuards(id, this.decrypt(row), undefined, !o.forget);
      this.v.store.shredWorker(id, this.v.now());
      const retired = this.retirePseudonyms(id, 'worker offboarded');
      this.audit.append('worker.offboard', id, { pseudonyms_retired: retired, forget: Boolean(o.forget) });
    });
    // Push the change out of the WAL so the old ciphertext is overwritten in the main file too.
    let compacted = false;
    try {
      compacted = this.v.store.checkpoint();
    } catch (e) {
      if (!(e instanceof BusyError)) throw e;
    }
    if (!compacted) {
      this.v.notices.push('another process is using the vault, so the journal could not be compacted now; it will be at the next checkpoint');
    }
    return this.show(id);
  }
}

function validated(input: WorkerInput): WorkerRecord {
  try {
    return validateWorker(input);
  } catch (e) {
    if (e instanceof FieldError) throw new UsageError(e.message);
    throw e;
  }
}
