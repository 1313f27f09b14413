// The organisation key's generations (issue #9): a client follows the chain
// from the key its own keyslot holds, and refuses a chain that does not start
// there or has a link the key before it did not sign.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../src/crypto/sodium.js';
import { signPublicKey } from '../../src/crypto/user-keys.js';
import { IntegrityError } from '../../src/errors.js';
import type { Store } from '../../src/store/store.js';
import { addOrgGeneration, currentOrgKey } from '../../src/vault/org-key.js';

const VAULT = '0123456789abcdef0123456789abcdef';
const seed = (b: number) => new Uint8Array(32).fill(b);

/** The two meta calls the chain uses, on a map. */
function metaStore(): Store & { meta: Map<string, string> } {
  const meta = new Map<string, string>();
  return { meta, getMeta: (k: string) => meta.get(k), setMeta: (k: string, v: string) => void meta.set(k, v) } as unknown as Store & { meta: Map<string, string> };
}

beforeAll(async () => {
  await loadSodium();
});

describe('organisation key chain', () => {
  it('without a chain, the anchor is today\'s key, generation 1', () => {
    const s = metaStore();
    expect(currentOrgKey(s, VAULT, signPublicKey(seed(1)))).toEqual({ pk: signPublicKey(seed(1)), epoch: 1 });
  });

  it('is followed from any generation a keyslot holds to the newest', () => {
    const s = metaStore();
    expect(addOrgGeneration(s, VAULT, seed(1), seed(2))).toBe(2);
    expect(addOrgGeneration(s, VAULT, seed(2), seed(3))).toBe(3);
    for (const anchor of [1, 2, 3]) expect(currentOrgKey(s, VAULT, signPublicKey(seed(anchor)))).toEqual({ pk: signPublicKey(seed(3)), epoch: 3 });
  });

  it('refuses a chain that does not start at the anchor, a link signed by another key, a skipped generation, another vault\'s chain, a garbled record', () => {
    const refused = (s: Store, anchor = signPublicKey(seed(1)), vault = VAULT) => {
      let e: unknown;
      try {
        currentOrgKey(s, vault, anchor);
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(IntegrityError);
      return (e as Error).message;
    };
    const notMine = metaStore();
    addOrgGeneration(notMine, VAULT, seed(7), seed(8));
    expect(refused(notMine)).toBe('generation 2 of the organisation key is not signed by the generation before it');

    // A removed administrator (holding generation 1) forks the chain after generation 2.
    const forked = metaStore();
    addOrgGeneration(forked, VAULT, seed(1), seed(2));
    addOrgGeneration(forked, VAULT, seed(1), seed(9));
    expect(refused(forked)).toBe('generation 3 of the organisation key is not signed by the generation before it');

    const skipped = metaStore();
    addOrgGeneration(skipped, VAULT, seed(1), seed(2));
    const links = JSON.parse(skipped.meta.get('org_chain')!) as { epoch: number }[];
    links[0]!.epoch = 3;
    skipped.meta.set('org_chain', JSON.stringify(links));
    expect(refused(skipped)).toBe('generation 3 of the organisation key is not signed by the generation before it');

    const other = metaStore();
    addOrgGeneration(other, VAULT, seed(1), seed(2));
    refused(other, signPublicKey(seed(1)), 'ffffffffffffffffffffffffffffffff');

    const garbled = metaStore();
    garbled.meta.set('org_chain', '{"epoch":2}');
    expect(refused(garbled)).toBe('the record of the organisation key has an unknown layout');
    garbled.meta.set('org_chain', 'not json');
    expect(refused(garbled)).toBe('the record of the organisation key has an unknown layout');
  });
});
