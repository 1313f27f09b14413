// SQL for the case-facing tables: teams, cases, assignments, pseudonyms,
// compromises, and the audit log. Values arrive sealed or as keyed hashes.
import type { Store } from './store.js';

export interface TeamRow {
  id: string;
  name_index: Uint8Array;
  name: Uint8Array;
  settings: Uint8Array;
  created_at: string;
  updated_at: string;
}

export interface CaseRow {
  id: string;
  ref_index: Uint8Array;
  reference: Uint8Array;
  team: Uint8Array;
  risk: Uint8Array;
  created_at: string;
  updated_at: string;
}

export type PseudonymStatus = 'active' | 'retired' | 'compromised';

export interface PseudonymRow {
  id: string;
  worker_id: string;
  case_id: string | null;
  scope: 'case' | 'worker';
  style: 'name' | 'code';
  status: PseudonymStatus;
  name: Uint8Array;
  formal: Uint8Array;
  name_index: Uint8Array;
  issued_at: string;
  ended_at: string | null;
  end_reason: Uint8Array | null;
  replaced_by: string | null;
  compromise_id: string | null;
}

export interface CompromiseRow {
  id: string;
  recorded_at: string;
  recorded_by: string;
  target: 'pseudonym' | 'worker' | 'case';
  details: Uint8Array;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  sealed: Uint8Array | null;
  prev: Uint8Array;
  hash: Uint8Array;
  mac: Uint8Array;
  /** The actor's Ed25519 signature over the entry (schema 5); null before users and roles. */
  sig: Uint8Array | null;
}

const P_COLS =
  'id, worker_id, case_id, scope, style, status, name, formal, name_index, issued_at, ended_at, end_reason, replaced_by, compromise_id';

export class CaseStore {
  constructor(private readonly s: Store) {}

  // --- teams --------------------------------------------------------------

  teamByIndex(index: Uint8Array): TeamRow | undefined {
    return this.s.get<TeamRow>('SELECT * FROM teams WHERE name_index = ?', index);
  }

  teams(): TeamRow[] {
    return this.s.all<TeamRow>('SELECT * FROM teams ORDER BY created_at, id');
  }

  upsertTeam(row: TeamRow): void {
    this.s.run(
      `INSERT INTO teams (id, name_index, name, settings, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name_index) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      row.id,
      row.name_index,
      row.name,
      row.settings,
      row.created_at,
      row.updated_at,
    );
  }

  // --- cases --------------------------------------------------------------

  updateCase(id: string, team: Uint8Array, risk: Uint8Array, updatedAt: string): void {
    this.s.run('UPDATE cases SET team = ?, risk = ?, updated_at = ? WHERE id = ?', team, risk, updatedAt, id);
  }

  insertCase(row: CaseRow): void {
    this.s.run(
      'INSERT INTO cases (id, ref_index, reference, team, risk, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      row.id,
      row.ref_index,
      row.reference,
      row.team,
      row.risk,
      row.created_at,
      row.updated_at,
    );
  }

  caseByIndex(index: Uint8Array): CaseRow | undefined {
    return this.s.get<CaseRow>('SELECT * FROM cases WHERE ref_index = ?', index);
  }

  caseById(id: string): CaseRow | undefined {
    return this.s.get<CaseRow>('SELECT * FROM cases WHERE id = ?', id);
  }

  caseExists(id: string): boolean {
    return this.s.get('SELECT 1 FROM cases WHERE id = ?', id) !== undefined;
  }

  cases(): CaseRow[] {
    return this.s.all<CaseRow>('SELECT * FROM cases ORDER BY created_at, id');
  }

  assign(caseId: string, workerId: string, at: string): boolean {
    return this.s.run('INSERT OR IGNORE INTO assignments (case_id, worker_id, assigned_at) VALUES (?, ?, ?)', caseId, workerId, at).changes > 0;
  }

  isAssigned(caseId: string, workerId: string): boolean {
    return this.s.get('SELECT 1 FROM assignments WHERE case_id = ? AND worker_id = ?', caseId, workerId) !== undefined;
  }

  workersOfCase(caseId: string): string[] {
    return this.s.all<{ worker_id: string }>('SELECT worker_id FROM assignments WHERE case_id = ? ORDER BY assigned_at, worker_id', caseId).map((r) => r.worker_id);
  }

  casesOfWorker(workerId: string): string[] {
    return this.s.all<{ case_id: string }>('SELECT case_id FROM assignments WHERE worker_id = ? ORDER BY assigned_at, case_id', workerId).map((r) => r.case_id);
  }

  // --- pseudonyms ---------------------------------------------------------

  insertPseudonym(row: PseudonymRow): void {
    this.s.run(
      `INSERT INTO pseudonyms (${P_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      row.id,
      row.worker_id,
      row.case_id,
      row.scope,
      row.style,
      row.status,
      row.name,
      row.formal,
      row.name_index,
      row.issued_at,
      row.ended_at,
      row.end_reason,
      row.replaced_by,
      row.compromise_id,
    );
  }

  pseudonymExists(id: string): boolean {
    return this.s.get('SELECT 1 FROM pseudonyms WHERE id = ?', id) !== undefined;
  }

  nameTaken(index: Uint8Array): boolean {
    return this.s.get('SELECT 1 FROM pseudonyms WHERE name_index = ?', index) !== undefined;
  }

  pseudonymByIndex(index: Uint8Array): PseudonymRow | undefined {
    return this.s.get<PseudonymRow>(`SELECT ${P_COLS} FROM pseudonyms WHERE name_index = ?`, index);
  }

  pseudonymById(id: string): PseudonymRow | undefined {
    return this.s.get<PseudonymRow>(`SELECT ${P_COLS} FROM pseudonyms WHERE id = ?`, id);
  }

  activePseudonym(workerId: string, scope: 'case' | 'worker', caseId: string | null): PseudonymRow | undefined {
    return this.s.get<PseudonymRow>(
      `SELECT ${P_COLS} FROM pseudonyms WHERE worker_id = ? AND scope = ? AND coalesce(case_id, '') = ? AND status = 'active'`,
      workerId,
      scope,
      caseId ?? '',
    );
  }

  activeInCase(caseId: string): PseudonymRow[] {
    return this.s.all<PseudonymRow>(`SELECT ${P_COLS} FROM pseudonyms WHERE case_id = ? AND status = 'active'`, caseId);
  }

  pseudonymsOfCase(caseId: string): PseudonymRow[] {
    return this.s.all<PseudonymRow>(`SELECT ${P_COLS} FROM pseudonyms WHERE case_id = ? ORDER BY issued_at, rowid`, caseId);
  }

  pseudonymsOfWorker(workerId: string): PseudonymRow[] {
    return this.s.all<PseudonymRow>(`SELECT ${P_COLS} FROM pseudonyms WHERE worker_id = ? ORDER BY issued_at, rowid`, workerId);
  }

  /** The worker's active worker-wide pseudonym, if any (answered by the one-active index). */
  activeWorkerWide(workerId: string): PseudonymRow | undefined {
    return this.activePseudonym(workerId, 'worker', null);
  }

  activeOfWorker(workerId: string): PseudonymRow[] {
    return this.s.all<PseudonymRow>(`SELECT ${P_COLS} FROM pseudonyms WHERE worker_id = ? AND status = 'active' ORDER BY issued_at, rowid`, workerId);
  }

  insertPseudonymGuard(digest: Uint8Array, pseudonymId: string): void {
    this.s.run('INSERT OR IGNORE INTO pseudonym_guards (digest, pseudonym_id) VALUES (?, ?)', digest, pseudonymId);
  }

  /** Active pseudonyms with any of these surname digests. */
  activeWithSurnameGuard(digests: Uint8Array[]): { id: string; name: Uint8Array }[] {
    if (digests.length === 0) return [];
    const marks = digests.map(() => '?').join(', ');
    return this.s.all<{ id: string; name: Uint8Array }>(
      `SELECT DISTINCT p.id, p.name FROM pseudonym_guards g JOIN pseudonyms p ON p.id = g.pseudonym_id
       WHERE g.digest IN (${marks}) AND p.status = 'active' ORDER BY p.id`,
      ...digests,
    );
  }

  endPseudonym(
    id: string,
    e: { status: 'retired' | 'compromised'; at: string; reason: Uint8Array; replacedBy: string | null; compromiseId: string | null },
  ): void {
    this.s.run(
      "UPDATE pseudonyms SET status = ?, ended_at = ?, end_reason = ?, replaced_by = ?, compromise_id = ? WHERE id = ? AND status = 'active'",
      e.status,
      e.at,
      e.reason,
      e.replacedBy,
      e.compromiseId,
      id,
    );
  }

  setReplacedBy(id: string, replacedBy: string): void {
    this.s.run('UPDATE pseudonyms SET replaced_by = ? WHERE id = ?', replacedBy, id);
  }

  countPseudonyms(): number {
    return this.s.get<{ n: number }>('SELECT count(*) AS n FROM pseudonyms')!.n;
  }

  *iteratePseudonyms(): IterableIterator<PseudonymRow> {
    yield* this.s.iterate<PseudonymRow>(`SELECT ${P_COLS} FROM pseudonyms ORDER BY rowid`);
  }

  /** Active pseudonyms whose surname matches a real worker's (a worker added after the pseudonym was issued). */
  activeResemblingWorkers(): string[] {
    return this.s
      .all<{ id: string }>(
        `SELECT DISTINCT p.id FROM pseudonym_guards g JOIN name_guards n ON n.digest = g.digest
         JOIN pseudonyms p ON p.id = g.pseudonym_id WHERE p.status = 'active' ORDER BY p.id`,
      )
      .map((r) => r.id);
  }

  *iterateCases(): IterableIterator<CaseRow> {
    yield* this.s.iterate<CaseRow>('SELECT * FROM cases ORDER BY rowid');
  }

  // --- leak-scan index --------------------------------------------------------

  replaceScanEntries(owner: Uint8Array, entries: { kind: string; confidence: string; tokens: Uint8Array; reversed: boolean; worker: Uint8Array }[]): void {
    this.s.run('DELETE FROM scan_index WHERE owner = ?', owner);
    for (const e of entries) {
      this.s.run(
        'INSERT INTO scan_index (owner, kind, confidence, tokens, reversed, worker) VALUES (?, ?, ?, ?, ?, ?)',
        owner,
        e.kind,
        e.confidence,
        e.tokens,
        e.reversed ? 1 : 0,
        e.worker,
      );
    }
  }

  /**
   * The whole index as one text, a line per entry: "id kind confidence HEX
   * reversed". A scan loads it all before reading a document, and one string
   * is several times faster to fetch than 50,000 rows with a Buffer each.
   */
  scanIndexText(): string {
    return (
      this.s.get<{ t: string | null }>(
        "SELECT group_concat(id || ' ' || kind || ' ' || confidence || ' ' || hex(tokens) || ' ' || reversed, char(10)) AS t FROM scan_index",
      )?.t ?? ''
    );
  }

  scanEntryWorker(id: number): { owner: Uint8Array; kind: string; tokens: Uint8Array; worker: Uint8Array } | undefined {
    return this.s.get('SELECT owner, kind, tokens, worker FROM scan_index WHERE id = ?', id);
  }

  // --- compromises --------------------------------------------------------

  insertCompromise(row: CompromiseRow): void {
    this.s.run(
      'INSERT INTO compromises (id, recorded_at, recorded_by, target, details) VALUES (?, ?, ?, ?, ?)',
      row.id,
      row.recorded_at,
      row.recorded_by,
      row.target,
      row.details,
    );
  }

  compromiseExists(id: string): boolean {
    return this.s.get('SELECT 1 FROM compromises WHERE id = ?', id) !== undefined;
  }

  // --- audit log ----------------------------------------------------------

  lastAudit(): Pick<AuditRow, 'seq' | 'hash'> | undefined {
    return this.s.get<Pick<AuditRow, 'seq' | 'hash'>>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  }

  auditHasAction(action: string): boolean {
    return this.s.get('SELECT 1 FROM audit_log WHERE action = ? LIMIT 1', action) !== undefined;
  }

  insertAudit(row: AuditRow): void {
    this.s.run(
      'INSERT INTO audit_log (seq, at, actor, action, subject, details, sealed, prev, hash, mac, sig) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      row.seq,
      row.at,
      row.actor,
      row.action,
      row.subject,
      row.details,
      row.sealed,
      row.prev,
      row.hash,
      row.mac,
      row.sig,
    );
  }

  *iterateAudit(since?: string): IterableIterator<AuditRow> {
    yield* since
      ? this.s.iterate<AuditRow>('SELECT * FROM audit_log WHERE at >= ? ORDER BY seq', since)
      : this.s.iterate<AuditRow>('SELECT * FROM audit_log ORDER BY seq');
  }
}
