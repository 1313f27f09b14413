// The organisation key's generations (issue #9). Every keyslot holds the
// organisation's public key as it was when the user joined: the anchor. When
// an administrator is removed the organisation key is replaced (she kept the
// old seed), and the new public key is signed by the old one. A client
// follows that chain from its own anchor, so a user who joined long ago still
// reaches today's key, and a chain that does not start at her anchor, or has
// a link the key before it did not sign, is refused.
import { associatedData } from '../crypto/aead.js';
import { signDetached, signPublicKey, verifyDetached } from '../crypto/user-keys.js';
import { IntegrityError } from '../errors.js';
import type { Store } from '../store/store.js';

const META = 'org_chain';

interface Link {
  epoch: number;
  pk: string; // base64
  sig: string; // base64, by the previous generation's key
}

const linkBytes = (vaultId: string, epoch: number, pk: Uint8Array) => associatedData('schuilnaam', 1, 'org-key', vaultId, epoch, Buffer.from(pk).toString('hex'));

const RESTORE = 'the record of the organisation key was changed outside schuilnaam: restore the vault from a backup you trust';

function links(store: Store): Link[] {
  const text = store.getMeta(META);
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as Link[];
    if (!Array.isArray(parsed)) throw new Error('not a list');
    return parsed;
  } catch {
    throw new IntegrityError('the record of the organisation key has an unknown layout', RESTORE);
  }
}

/** Today's organisation public key, reached from `anchor` (the key a keyslot or session holds), and its generation. */
export function currentOrgKey(store: Store, vaultId: string, anchor: Uint8Array): { pk: Uint8Array; epoch: number } {
  const chain = links(store);
  const hex = Buffer.from(anchor).toString('hex');
  const at = chain.findIndex((l) => Buffer.from(l.pk, 'base64').toString('hex') === hex);
  let pk = anchor;
  let epoch = at === -1 ? 1 : chain[at]!.epoch;
  for (const l of chain.slice(at + 1)) {
    const next = Buffer.from(l.pk, 'base64');
    if (l.epoch !== epoch + 1 || next.length !== 32 || !verifyDetached(pk, linkBytes(vaultId, l.epoch, next), Buffer.from(l.sig, 'base64'))) {
      throw new IntegrityError(`generation ${l.epoch} of the organisation key is not signed by the generation before it`, RESTORE);
    }
    pk = new Uint8Array(next);
    epoch = l.epoch;
  }
  return { pk, epoch };
}

/** Records a new generation of the organisation key, signed by the current one. Call inside the rotation's transaction. */
export function addOrgGeneration(store: Store, vaultId: string, oldSeed: Uint8Array, newSeed: Uint8Array): number {
  const chain = links(store);
  const epoch = (chain[chain.length - 1]?.epoch ?? 1) + 1;
  const pk = signPublicKey(newSeed);
  chain.push({ epoch, pk: Buffer.from(pk).toString('base64'), sig: Buffer.from(signDetached(oldSeed, linkBytes(vaultId, epoch, pk))).toString('base64') });
  store.setMeta(META, JSON.stringify(chain));
  return epoch;
}
