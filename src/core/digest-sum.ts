// Arithmetic on 256-bit digests (little-endian, mod 2^256): a table's digest
// is the sum of its rows' keyed hashes, so one insert, update or delete
// changes it in constant time, and the order rows were written in does not
// matter.

/** acc += b, in place (the check sums tens of thousands of rows). */
export function addInto(acc: Uint8Array, b: Uint8Array): void {
  let carry = 0;
  for (let i = 0; i < 32; i++) {
    const s = acc[i]! + (b[i] ?? 0) + carry;
    acc[i] = s & 0xff;
    carry = s >> 8;
  }
}

export function addDigest(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(a.subarray(0, 32));
  addInto(out, b);
  return out;
}

export function subDigest(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  let borrow = 0;
  for (let i = 0; i < 32; i++) {
    let d = (a[i] ?? 0) - (b[i] ?? 0) - borrow;
    borrow = d < 0 ? 1 : 0;
    if (d < 0) d += 256;
    out[i] = d;
  }
  return out;
}
