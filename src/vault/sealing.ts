// Sealing and opening of one vault field. Associated data binds every
// ciphertext to its table, column, row id and crypto format, so a ciphertext
// copied to another row or column fails to open, and the failure names the record.
import { associatedData, AuthenticationFailure, open, openText, seal, sealText } from '../crypto/aead.js';
import type { RandomSource } from '../crypto/random.js';
import { IntegrityError } from '../errors.js';
import { CRYPTO_FORMAT } from './deps.js';

export interface FieldAddress {
  table: string;
  column: string;
  rowId: string;
}

function ad(a: FieldAddress): Uint8Array {
  return associatedData('schuilnaam', CRYPTO_FORMAT, a.table, a.column, a.rowId);
}

export function tamperError(a: FieldAddress): IntegrityError {
  return new IntegrityError(
    `record ${a.rowId} (${a.table}.${a.column}) failed its integrity check: it was altered or moved from another record`,
    'run "schuilnaam verify" and restore the vault from a backup',
  );
}

export function sealField(key: Uint8Array, text: string, a: FieldAddress, random: RandomSource): Uint8Array {
  return sealText(key, text, ad(a), random);
}

export function openField(key: Uint8Array, box: Uint8Array | null, a: FieldAddress): string {
  if (box === null) throw tamperError(a);
  try {
    return openText(key, box, ad(a));
  } catch (e) {
    if (e instanceof AuthenticationFailure || e instanceof TypeError) throw tamperError(a);
    throw e;
  }
}

export function sealKey(key: Uint8Array, wrapped: Uint8Array, a: FieldAddress, random: RandomSource): Uint8Array {
  return seal(key, wrapped, ad(a), random);
}

export function openKey(key: Uint8Array, box: Uint8Array | null, a: FieldAddress): Uint8Array {
  if (box === null) throw tamperError(a);
  try {
    return open(key, box, ad(a));
  } catch (e) {
    if (e instanceof AuthenticationFailure) throw tamperError(a);
    throw e;
  }
}
