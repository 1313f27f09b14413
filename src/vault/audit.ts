// The audit log: append-only, hash-chained, MAC'd with the audit key. Entries
// hold ids and hashes; free text (a reason) is sealed under the case-facing key.
import { associatedData } from '../crypto/aead.js';
import { chainHash, chainMac, equalBytes, GENESIS } from '../crypto/chain.js';
import { signDetached, verifyDetached } from '../crypto/user-keys.js';
import { IntegrityError, UsageError } from '../errors.js';
import { auditSigners } from './users.js';
import type { AuditRow } from '../store/casefacing.js';
import type { VaultContext } from './context.js';
import { openField, sealField } from './sealing.js';

const encoder = new TextEncoder();

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  reason: string | null;
}

export interface ChainHead {
  seq: number;
  hash: string; // hex
}

export interface AuditReport {
  ok: boolean;
  problems: string[];
  entries: number;
  head: ChainHead | null;
  first_broken: number | null;
}

export function canonical(r: Pick<AuditRow, 'seq' | 'at' | 'actor' | 'action' | 'subject' | 'details' | 'sealed'>): Uint8Array {
  const sealed = r.sealed ? Buffer.from(r.sealed).toString('base64') : null;
  return encoder.encode(JSON.stringify([r.seq, r.at, r.actor, r.action, r.subject, r.details, sealed]));
}

/** What an entry's actor signs: the entry's place and hash in this vault's chain. */
export function auditSignedBytes(vaultId: string, seq: number, hash: Uint8Array): Uint8Array {
  return associatedData('schuilnaam', 1, 'audit', vaultId, seq, Buffer.from(hash).toString('hex'));
}

/** Where signed entries begin, as the organisation key said; checks signatures against the actor's public key. */
export interface AuditSigners {
  signedFrom: number;
  /** The actor's Ed25519 public key, from their record checked against the organisation key; undefined for no such user. */
  signKeyOf(actor: string): Uint8Array | undefined;
}

export const KEYS_ROTATE = 'keys.rotate';

/** The audit-key epoch a 'keys.rotate' entry starts, from its details; undefined when it did not rotate that key. */
function rotatedAuditEpoch(details: string): number | undefined {
  try {
    const e = (JSON.parse(details) as { epochs?: { audit?: unknown } }).epochs?.audit;
    return typeof e === 'number' && Number.isInteger(e) && e > 1 ? e : undefined;
  } catch {
    return undefined;
  }
}

export function parseHead(text: string): ChainHead {
  const m = /^(\d+):([0-9a-f]{64})$/iu.exec(text.trim());
  if (!m) throw new UsageError(`invalid --head "${text}"`, 'give it as printed by "schuilnaam audit verify": SEQ:HASH');
  return { seq: Number(m[1]), hash: m[2]!.toLowerCase() };
}

export class AuditLog {
  constructor(private readonly ctx: VaultContext) {}

  /** Appends one entry; call inside the transaction of the change it records. */
  append(action: string, subject: string, details: Record<string, unknown> = {}, reason?: string): void {
    const cases = this.ctx.cases;
    const last = cases.lastAudit();
    const seq = (last?.seq ?? 0) + 1;
    const prev = last ? new Uint8Array(last.hash) : GENESIS;
    const sealed =
      reason === undefined ? null : sealField(this.ctx.key('casefacing'), reason, { table: 'audit_log', column: 'sealed', rowId: String(seq) }, this.ctx.random);
    const row = { seq, at: this.ctx.now(), actor: this.ctx.user, action, subject, details: JSON.stringify(details), sealed };
    const hash = chainHash(prev, canonical(row));
    const sig = this.ctx.signSeed ? signDetached(this.ctx.signSeed, auditSignedBytes(this.ctx.vaultId, seq, hash)) : null;
    cases.insertAudit({ ...row, prev, hash, mac: chainMac(this.ctx.key('audit'), hash), sig });
  }

  /** Walks the whole chain; reports the first broken entry. With `head`, also catches a deleted tail. */
  verify(head?: ChainHead): AuditReport {
    // Refuses a keyring without the audit key (exit 3) before anything is walked.
    this.ctx.key('audit');
    // Entries keep the audit key of the epoch they were written in: a
    // 'keys.rotate' entry (itself under the new key) starts the next one.
    let epoch = 1;
    const removedAt = new Map<string, number>();
    const problems: string[] = [];
    let signers: AuditSigners | undefined;
    try {
      signers = auditSigners(this.ctx.store, this.ctx.vaultId, this.ctx.orgSign);
    } catch (e) {
      if (!(e instanceof IntegrityError)) throw e;
      problems.push(e.message);
    }
    let expectedSeq = 1;
    let prev: Uint8Array = GENESIS;
    let count = 0;
    let last: ChainHead | null = null;
    let firstBroken: number | null = null;
    let headSeen = false;
    const broken = (seq: number, why: string) => {
      firstBroken ??= seq;
      problems.push(`audit entry ${seq}: ${why}`);
    };
    for (const r of this.ctx.cases.iterateAudit()) {
      count++;
      if (firstBroken === null) {
        if (r.seq !== expectedSeq) broken(expectedSeq, r.seq > expectedSeq ? `missing (entries ${expectedSeq}-${r.seq - 1} were deleted)` : 'out of order');
        else if (!equalBytes(new Uint8Array(r.prev), prev)) broken(r.seq, 'does not follow the entry before it (deleted, inserted or reordered)');
        else {
          const hash = chainHash(prev, canonical(r));
          if (r.action === KEYS_ROTATE) epoch = rotatedAuditEpoch(r.details) ?? epoch;
          const key = this.ctx.keyring.keyAt('audit', epoch);
          if (!equalBytes(hash, new Uint8Array(r.hash))) broken(r.seq, 'was altered after it was written');
          else if (!key) broken(r.seq, `is sealed with generation ${epoch} of the audit key, which user "${this.ctx.user}" does not hold`);
          else if (!equalBytes(chainMac(key, hash), new Uint8Array(r.mac))) broken(r.seq, 'has an invalid MAC (not written by this vault)');
          else if (removedAt.has(r.actor)) broken(r.seq, `was written by "${r.actor}" after that user was removed (entry ${removedAt.get(r.actor)})`);
          else if (signers) {
            // Everyone holds the MAC key; only the actor holds their signing key.
            const sig = r.sig ? new Uint8Array(r.sig) : null;
            if (r.seq >= signers.signedFrom) {
              const pk = signers.signKeyOf(r.actor);
              if (!sig) broken(r.seq, `is not signed (every entry from ${signers.signedFrom} on is signed by its actor)`);
              else if (!pk) broken(r.seq, `names an actor, "${r.actor}", who is not a user of this vault`);
              else if (!verifyDetached(pk, auditSignedBytes(this.ctx.vaultId, r.seq, hash), sig)) broken(r.seq, `is not signed by its actor "${r.actor}" (written or altered by someone else)`);
            } else if (sig) broken(r.seq, 'carries a signature, but signed entries begin later');
          }
        }
      }
      if (r.action === 'user.remove' && firstBroken === null) removedAt.set(r.subject, r.seq);
      if (head && r.seq === head.seq) {
        headSeen = true;
        if (Buffer.from(r.hash).toString('hex') !== head.hash) problems.push(`audit entry ${head.seq} differs from the chain head you kept`);
      }
      prev = new Uint8Array(r.hash);
      expectedSeq = r.seq + 1;
      last = { seq: r.seq, hash: Buffer.from(r.hash).toString('hex') };
    }
    if (head && !headSeen) {
      const end = last?.seq ?? 0;
      problems.push(
        end < head.seq
          ? `the log ends at entry ${end}, but the chain head you kept is entry ${head.seq}: entries were deleted from the end, or the log was rewritten`
          : `audit entry ${head.seq} from the chain head you kept is missing`,
      );
      firstBroken ??= end + 1;
    }
    return { ok: problems.length === 0, problems, entries: count, head: last, first_broken: firstBroken };
  }

  entries(since?: string): AuditEntry[] {
    this.ctx.require('audit.read');
    const canRead = this.ctx.keyring.has('casefacing');
    // A reason stays sealed under the case-facing key of its entry's epoch; the right key is the one that opens it.
    const reasonOf = (sealed: Uint8Array, seq: number): string | null => {
      const where = { table: 'audit_log', column: 'sealed', rowId: String(seq) };
      const keys = this.ctx.keyring.allKeysOf('casefacing');
      for (const k of keys.slice(0, -1)) {
        try {
          return openField(k, sealed, where);
        } catch (e) {
          if (!(e instanceof IntegrityError)) throw e;
        }
      }
      return openField(keys[keys.length - 1]!, sealed, where);
    };
    return [...this.ctx.cases.iterateAudit(since)].map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor,
      action: r.action,
      subject: r.subject,
      details: JSON.parse(r.details) as Record<string, unknown>,
      reason: r.sealed && canRead ? reasonOf(r.sealed, r.seq) : null,
    }));
  }
}
