// The vault's integrity seal, from the service's side: set the key the
// store's triggers hash rows with, seal a vault that has no seal yet (a new
// vault, or one upgraded from format 3), and refuse to work on tables that no
// longer add up. See docs/vault-format.md, "Integrity of the tables".
import { deriveSubkey } from '../crypto/blind-index.js';
import { integrityHasher } from '../crypto/integrity.js';
import { IntegrityError } from '../errors.js';
import { PROTECTED_TABLES, UPGRADE_ACTION, type IntegrityProblem } from '../store/store.js';
import type { AuditLog } from './audit.js';
import type { VaultContext } from './context.js';

/** The tables the leak gate and the pseudonym rules decide with. */
export const GATE_TABLES = ['scan_index', 'name_guards', 'pseudonym_guards', 'pseudonyms'] as const;

export const SEAL_ACTION = 'vault.seal';

/** Gives the store the key its triggers need. Every role holds the audit key, and every role writes. */
export function armIntegrity(ctx: VaultContext): void {
  if (!ctx.keyring.has('audit')) return;
  ctx.store.setIntegrityHasher(integrityHasher(deriveSubkey(ctx.key('audit'), 'integrity')));
}

export class Integrity {
  private readonly checked = new Set<string>();

  constructor(
    private readonly ctx: VaultContext,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Seals a vault that has no seal yet. Only a vault whose audit log has never
   * recorded a seal may be sealed this way: a removed seal is tampering, not
   * an old format.
   */
  ensureSealed(): void {
    const store = this.ctx.store;
    if (!this.ctx.keyring.has('audit')) return;
    if (store.hasSeal()) {
      // Upgraded from schema 4: the seal is extended to the users-and-roles
      // tables once, with an audit entry that says it was.
      if (store.sealNeedsUpgrade()) {
        store.transaction(() => {
          if (!store.sealNeedsUpgrade()) return;
          this.audit.append(UPGRADE_ACTION, 'vault', { schema: 5, tables: PROTECTED_TABLES.length });
          store.upgradeSeal();
        });
      }
      return;
    }
    // A vault that was sealed once and has no seal now was tampered with: it
    // stays unsealed, so every check reports the missing seal.
    if (this.ctx.cases.auditHasAction(SEAL_ACTION)) return;
    store.transaction(() => {
      if (store.hasSeal() || this.ctx.cases.auditHasAction(SEAL_ACTION)) return;
      this.sealNow();
    });
  }

  /** Appends the seal entry and seals every table. Call inside a write transaction. */
  sealNow(): void {
    this.audit.append(SEAL_ACTION, 'vault', { tables: PROTECTED_TABLES.length });
    this.ctx.store.sealAll();
  }

  /** What does not add up: the seal, and each of `tables` recomputed from its rows. */
  problems(tables: readonly string[] = PROTECTED_TABLES): IntegrityProblem[] {
    if (!this.ctx.keyring.has('audit')) return [];
    return this.ctx.store.read(() => this.ctx.store.integrityProblems(tables));
  }

  /**
   * Refuses to go on (exit 4, naming the table) when the seal or any of
   * `tables` does not add up. Each table is recomputed once per command.
   */
  require(tables: readonly string[] = GATE_TABLES): void {
    const todo = tables.filter((t) => !this.checked.has(t));
    if (todo.length === 0) return;
    const found = this.problems(todo);
    if (found.length > 0) {
      // Name the table this command depends on, when one of them is at fault.
      const first = found.find((p) => todo.includes(p.table)) ?? found[0]!;
      throw new IntegrityError(
        found.length === 1 ? first.problem : `${first.problem}; ${found.length - 1} more problem(s)`,
        'nothing was done; restore the vault from a backup you trust, and run "schuilnaam verify" to list every problem',
      );
    }
    for (const t of todo) this.checked.add(t);
  }
}
