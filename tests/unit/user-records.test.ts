// Signed user records and grants (issue #9): what a client accepts, and
// every way a row changed by someone without the keys is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSodium } from '../../src/crypto/sodium.js';
import { generateUserKeys, signDetached, type UserKeys } from '../../src/crypto/user-keys.js';
import { IntegrityError } from '../../src/errors.js';
import { checkUserRecord, grantMessage, makeGrant, openGrant, signUserRecord, type GrantHeader, type UserRecord } from '../../src/vault/user-records.js';

const VAULT = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
let n = 0;
/** Repeatable key pairs: each call its own bytes. */
const keys = (): UserKeys => {
  const k = ++n;
  return generateUserKeys((len) => new Uint8Array(len).map((_, i) => (k * 31 + i * 7) & 0xff));
};

let org: UserKeys;
let admin: UserKeys;
let noor: UserKeys;
let other: UserKeys;
beforeAll(async () => {
  await loadSodium();
  org = keys();
  admin = keys();
  noor = keys();
  other = keys();
});

const record = (over: Partial<UserRecord> = {}): UserRecord => ({
  name: 'noor',
  role: 'caseworker',
  worker: 'W-b373sm18',
  keys: noor.public,
  status: 'active',
  changedAt: '2026-12-07T10:00:00.000Z',
  ...over,
});

function refusal(fn: () => unknown): { message: string; hint: string | undefined } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IntegrityError);
    return { message: (e as IntegrityError).message, hint: (e as IntegrityError).hint };
  }
  throw new Error('not refused');
}

describe('user records', () => {
  it('a record signed by the organisation key checks', () => {
    const sig = signUserRecord(VAULT, record(), org.secret.sign);
    expect(sig).toHaveLength(64);
    expect(() => checkUserRecord(VAULT, record(), sig, org.public.sign)).not.toThrow();
  });

  it('any field changed, another vault, or another signer is refused, naming the user', () => {
    const sig = signUserRecord(VAULT, record(), org.secret.sign);
    const changed: [string, UserRecord, string][] = [
      ['role', record({ role: 'admin' }), VAULT],
      ['worker', record({ worker: 'W-xxxxxxxx' }), VAULT],
      ['no worker', record({ worker: null }), VAULT],
      ['box key', record({ keys: { box: other.public.box, sign: noor.public.sign } }), VAULT],
      ['sign key', record({ keys: { box: noor.public.box, sign: other.public.sign } }), VAULT],
      ['status', record({ status: 'removed' }), VAULT],
      ['time', record({ changedAt: '2026-12-07T10:00:00.001Z' }), VAULT],
      ['vault', record(), 'f'.repeat(32)],
    ];
    for (const [what, r, vault] of changed) {
      expect(refusal(() => checkUserRecord(vault, r, sig, org.public.sign)), what).toEqual({
        message: 'the record of user "noor" is not signed by the organisation key',
        hint: 'the users table was changed outside schuilnaam: restore the vault from a backup you trust',
      });
    }
    // The name too: the message then names the record as it reads now.
    expect(refusal(() => checkUserRecord(VAULT, record({ name: 'noor2' }), sig, org.public.sign)).message).toBe('the record of user "noor2" is not signed by the organisation key');
    // Signed by someone else's key (an administrator's own key is not the organisation key).
    expect(() => checkUserRecord(VAULT, record(), signUserRecord(VAULT, record(), admin.secret.sign), org.public.sign)).toThrow(IntegrityError);
  });
});

describe('grants', () => {
  const header: GrantHeader = { user: 'noor', compartment: 'casefacing', epoch: 1, grantedBy: 'hr-anna' };
  const key = new Uint8Array(32).map((_, i) => 200 - i);

  it('the key sealed to the user and signed by the granting administrator opens', () => {
    const g = makeGrant(VAULT, header, noor.public, key, admin.secret.sign);
    expect(g.sealed).toHaveLength(32 + 32 + 48); // the bound context's hash, the key, crypto_box_seal's overhead
    expect(openGrant(VAULT, header, g.sealed, g.sig, noor, admin.public.sign)).toEqual(key);
  });

  it('a grant moved to another compartment, epoch, user, vault or granter is refused by its signature', () => {
    const g = makeGrant(VAULT, header, noor.public, key, admin.secret.sign);
    const cases: [GrantHeader, string, string][] = [
      [{ ...header, compartment: 'identity' }, VAULT, 'the identity key granted to user "noor" is not signed by administrator "hr-anna"'],
      [{ ...header, epoch: 2 }, VAULT, 'the casefacing key granted to user "noor" is not signed by administrator "hr-anna"'],
      [{ ...header, user: 'sven' }, VAULT, 'the casefacing key granted to user "sven" is not signed by administrator "hr-anna"'],
      [{ ...header, grantedBy: 'hr-bert' }, VAULT, 'the casefacing key granted to user "noor" is not signed by administrator "hr-bert"'],
      [header, 'f'.repeat(32), 'the casefacing key granted to user "noor" is not signed by administrator "hr-anna"'],
    ];
    for (const [h, vault, message] of cases) {
      expect(refusal(() => openGrant(vault, h, g.sealed, g.sig, noor, admin.public.sign))).toEqual({
        message,
        hint: 'the grants table was changed outside schuilnaam: restore the vault from a backup you trust',
      });
    }
  });

  it('a box or signature swapped or damaged is refused; so is a grant checked against another key', () => {
    const g = makeGrant(VAULT, header, noor.public, key, admin.secret.sign);
    const g2 = makeGrant(VAULT, header, noor.public, new Uint8Array(32).fill(9), admin.secret.sign);
    const flipped = g.sealed.slice();
    flipped[40]! ^= 1;
    expect(() => openGrant(VAULT, header, flipped, g.sig, noor, admin.public.sign)).toThrow(/not signed by administrator "hr-anna"/u);
    expect(() => openGrant(VAULT, header, g2.sealed, g.sig, noor, admin.public.sign)).toThrow(/not signed/u);
    expect(() => openGrant(VAULT, header, g.sealed, g.sig.slice(0, 63), noor, admin.public.sign)).toThrow(/not signed/u);
    expect(() => openGrant(VAULT, header, g.sealed, g.sig, noor, other.public.sign)).toThrow(/not signed/u);
  });

  it('a key of an attacker\'s choosing, sealed to the user and signed by the attacker, is refused', () => {
    const forged = makeGrant(VAULT, header, noor.public, new Uint8Array(32), other.secret.sign);
    expect(() => openGrant(VAULT, header, forged.sealed, forged.sig, noor, admin.public.sign)).toThrow(/not signed by administrator "hr-anna"/u);
  });

  it('a grant an administrator was tricked into sealing to someone else\'s keys does not check for the real user', () => {
    // The users row of noor was given other's public keys; the administrator granted to those.
    const tricked = makeGrant(VAULT, header, other.public, key, admin.secret.sign);
    expect(() => openGrant(VAULT, header, tricked.sealed, tricked.sig, noor, admin.public.sign)).toThrow(/not signed/u);
  });

  it('a correctly signed grant whose box does not open for the user says so', () => {
    // A box bound to epoch 7, signed by the administrator as if it were the epoch-1 grant (a faulty client).
    const epoch7 = makeGrant(VAULT, { ...header, epoch: 7 }, noor.public, key, admin.secret.sign);
    const sig = signDetached(admin.secret.sign, grantMessage(VAULT, header, noor.public, epoch7.sealed));
    expect(refusal(() => openGrant(VAULT, header, epoch7.sealed, sig, noor, admin.public.sign))).toEqual({
      message: 'the casefacing key granted to user "noor" does not open with that user\'s key',
      hint: 'ask an administrator to grant it again',
    });
  });
});
