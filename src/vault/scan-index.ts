// Keeps the leak-scan index in step with workers and retired pseudonyms, and
// loads it for a scan. Only keyed hashes are stored; which worker an entry
// belongs to is sealed under the blind-index key.
import { blindIndex, deriveSubkey } from '../crypto/blind-index.js';
import { pseudonymForms, workerForms, type LeakForm } from '../core/leak-forms.js';
import { isValueKind, LeakIndex, type ValueKind } from '../core/leak-match.js';
import type { WorkerRecord } from '../core/worker-fields.js';
import type { VaultContext } from './context.js';
import { openField, sealField } from './sealing.js';
import { AccessError } from '../errors.js';
import { GATE_TABLES } from './integrity.js';

const DIGEST_BYTES = 8;

/**
 * An entry's kind and the epoch of the scan key its hashes were made with:
 * "name" is epoch 1, "name@2" epoch 2. Entries are written under the current
 * key; only an offboarded worker's forms, whose names are gone, keep an
 * older one after the keys are replaced.
 */
export function scanEpochOf(stored: string): { kind: string; epoch: number } {
  const at = stored.indexOf('@');
  return at === -1 ? { kind: stored, epoch: 1 } : { kind: stored.slice(0, at), epoch: Number(stored.slice(at + 1)) };
}

export class ScanIndex {
  private readonly tokenKeys = new Map<number, Uint8Array>();

  constructor(private readonly ctx: VaultContext) {}

  /** Keyed hash of one normalised token (or a whole e-mail or phone value), as hex. */
  digest(norm: string, epoch = this.epoch): string {
    return Buffer.from(this.hash(norm, epoch)).toString('hex');
  }

  /**
   * The same hash as a number (its first 48 bits), as the index is keyed in
   * memory: no string per token when a large index is loaded.
   */
  tokenKey(norm: string, epoch = this.epoch): number {
    const h = this.hash(norm, epoch);
    return Buffer.from(h.buffer, h.byteOffset, 6).readUIntBE(0, 6);
  }

  /** The epoch of the scan key new entries are written under. */
  get epoch(): number {
    return this.ctx.keyring.epochOf('scan');
  }

  private hash(norm: string, epoch: number): Uint8Array {
    let key = this.tokenKeys.get(epoch);
    if (!key) {
      const scan = this.ctx.keyring.keyAt('scan', epoch);
      if (!scan) throw new AccessError(`the leak index holds entries made with generation ${epoch} of the scan key, which user "${this.ctx.user}" does not hold`, 'ask an administrator to remove and add this user again');
      key = deriveSubkey(scan, 'leak-token');
      this.tokenKeys.set(epoch, key);
    }
    return blindIndex(key, 'token', norm).subarray(0, DIGEST_BYTES);
  }

  private valueDigest(kind: string, value: string, epoch = this.epoch): string {
    return this.digest(`${kind}\u001f${value}`, epoch);
  }

  private owner(id: string): Uint8Array {
    return blindIndex(this.ctx.key('blind'), 'scan-owner', id);
  }

  private write(ownerId: string, workerId: string, forms: LeakForm[]): void {
    const owner = this.owner(ownerId);
    const ownerHex = Buffer.from(owner).toString('hex');
    const epoch = this.epoch;
    const entries = forms.map((f) => {
      const digests = isValueKind(f.kind) ? [this.valueDigest(f.kind, f.tokens[0]!)] : f.tokens.map((t) => this.digest(t));
      const tokens = Buffer.from(digests.join(''), 'hex');
      const kind = epoch === 1 ? f.kind : `${f.kind}@${epoch}`;
      return {
        kind,
        confidence: f.confidence,
        tokens,
        reversed: Boolean(f.reversed),
        worker: sealField(this.ctx.key('blind'), workerId, { table: 'scan_index', column: 'worker', rowId: `${ownerHex}:${kind}:${tokens.toString('hex')}` }, this.ctx.random),
      };
    });
    this.ctx.cases.replaceScanEntries(owner, entries);
  }

  /** Replaces a worker's entries (none after offboarding). Call inside the worker's transaction. */
  updateWorker(workerId: string, record: WorkerRecord | undefined): void {
    this.write(workerId, workerId, record ? workerForms(record) : []);
  }

  /** Adds a pseudonym that must never reach a family again (retired or compromised). */
  addRetiredPseudonym(pseudonymId: string, workerId: string, name: string, formal: string): void {
    this.write(pseudonymId, workerId, pseudonymForms(name, formal));
  }

  /** The index as one LeakIndex per scan-key epoch its entries were made with (the current one always there). */
  load(): Map<number, LeakIndex> {
    // A gate that runs on a gutted or edited index says "clean" about anything.
    this.ctx.requireIntact(GATE_TABLES);
    const byEpoch = new Map<number, LeakIndex>([[this.epoch, new LeakIndex()]]);
    const text = this.ctx.cases.scanIndexText();
    if (text === '') return byEpoch;
    for (const line of text.split('\n')) {
      const [id, stored, confidence, hex, reversed] = line.split(' ') as [string, string, LeakForm['confidence'], string, string];
      const { kind: k, epoch } = scanEpochOf(stored);
      const kind = k as LeakForm['kind'];
      let index = byEpoch.get(epoch);
      if (!index) byEpoch.set(epoch, (index = new LeakIndex()));
      const tokens: (number | string)[] = [];
      if (isValueKind(kind)) tokens.push(hex.toLowerCase());
      // The first 48 bits of each 64-bit digest, as tokenKey() gives them.
      else for (let i = 0; i < hex.length; i += DIGEST_BYTES * 2) tokens.push(parseInt(hex.slice(i, i + 12), 16));
      index.add({ kind, confidence, tokens, ref: Number(id), reversed: reversed === '1' });
    }
    return byEpoch;
  }

  /** The worker behind an index entry, or null when this role may not know it. */
  workerOf(ref: number): string | null {
    if (!this.ctx.keyring.has('blind')) return null;
    const r = this.ctx.cases.scanEntryWorker(ref);
    if (!r) return null;
    const rowId = `${Buffer.from(r.owner).toString('hex')}:${r.kind}:${Buffer.from(r.tokens).toString('hex')}`;
    return openField(this.ctx.key('blind'), r.worker, { table: 'scan_index', column: 'worker', rowId });
  }

  /** True for the id of an offboarded worker, whose leak forms stay in the index. */
  isFormer(workerId: string | null): boolean {
    if (workerId === null) return false;
    let former = this.formerCache.get(workerId);
    if (former === undefined) {
      former = this.ctx.store.worker(workerId)?.status === 'offboarded';
      this.formerCache.set(workerId, former);
    }
    return former;
  }

  private readonly formerCache = new Map<string, boolean>();

  /** Digests of e-mail, phone and number candidates, kept for the run: letters repeat the same dates and numbers. */
  private readonly valueKeys = new Map<string, string>();

  valueKey(kind: ValueKind, value: string, epoch = this.epoch): string {
    const k = `${epoch}\u001f${kind}\u001f${value}`;
    let d = this.valueKeys.get(k);
    if (d === undefined) {
      if (this.valueKeys.size >= 100_000) this.valueKeys.clear();
      d = this.valueDigest(kind, value, epoch);
      this.valueKeys.set(k, d);
    }
    return d;
  }
}
