// Rebuilds the leak-scan index when this version of schuilnaam writes more
// name forms than the one that built it (LEAK_FORMS_VERSION; version 2 added
// glued full names such as "#JanineVerbeek"). Only a role that can read the
// identities can rebuild; others are told the index is older.
import { LEAK_FORMS_VERSION } from '../core/leak-forms.js';
import type { AuditLog } from './audit.js';
import type { VaultContext } from './context.js';
import type { Pseudonyms } from './pseudonyms.js';
import type { ScanIndex } from './scan-index.js';
import type { Workers } from './workers.js';

const META_KEY = 'leak_forms';

/** The forms version the index was built with: absent in vaults made before the key existed (version 1). */
export function leakFormsVersion(ctx: VaultContext): number {
  return Number(ctx.store.getMeta(META_KEY) ?? '1');
}

/** Records the current version in a new vault (its index is built by this version from the start). */
export function markLeakForms(ctx: VaultContext): void {
  ctx.store.setMeta(META_KEY, String(LEAK_FORMS_VERSION));
}

/**
 * Brings an older index up to date in one transaction: every active
 * worker's forms and every retired or compromised pseudonym's are written
 * again. An offboarded worker's forms stay as they were built: the name they
 * came from is gone. Returns the number of owners rewritten, or null when
 * nothing was to do or this role cannot do it.
 */
export function rebuildIfOutdated(ctx: VaultContext, parts: { workers: Workers; pseudonyms: Pseudonyms; scanIndex: ScanIndex; audit: AuditLog }): number | null {
  if (leakFormsVersion(ctx) >= LEAK_FORMS_VERSION) return null;
  const able = (['identity', 'casefacing', 'blind', 'scan', 'audit'] as const).every((c) => ctx.keyring.has(c));
  if (!able) {
    ctx.notices.push('the leak index was built by an older schuilnaam and lacks some name forms (glued names); it is rebuilt at the next unlock by an administrator or security officer');
    return null;
  }
  return ctx.store.transaction(() => {
    if (leakFormsVersion(ctx) >= LEAK_FORMS_VERSION) return null;
    let owners = 0;
    for (const row of ctx.store.workers()) {
      if (row.status !== 'active') continue;
      parts.scanIndex.updateWorker(row.id, parts.workers.decrypt(row));
      owners++;
    }
    // Collected first: a statement cannot write while another is still iterating.
    for (const row of [...ctx.cases.iteratePseudonyms()]) {
      if (row.status === 'active') continue;
      const p = parts.pseudonyms.view(row);
      parts.scanIndex.addRetiredPseudonym(row.id, row.worker_id, p.pseudonym, p.formal);
      owners++;
    }
    markLeakForms(ctx);
    parts.audit.append('scan_index.rebuild', 'vault', { forms_version: LEAK_FORMS_VERSION, owners });
    return owners;
  });
}
