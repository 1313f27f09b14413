// Nonces, salts, keys and ids come from node:crypto: libsodium's wasm
// randombytes_buf is ~30x slower (STACK.md). Injectable for repeatable tests.
import { randomFillSync } from 'node:crypto';

export type RandomSource = (length: number) => Uint8Array;

// One system call fills a pool that serves many small requests (nonces, ids);
// each request gets its own copy, and served bytes are zeroed in the pool.
const POOL_SIZE = 4096;
const pool = new Uint8Array(POOL_SIZE);
let offset = POOL_SIZE;

export const systemRandom: RandomSource = (length) => {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: where the bytes come from (pool or system call) is equally random; the length test kills the rest
  if (length > POOL_SIZE / 4) return randomFillSync(new Uint8Array(length));
  // Stryker disable next-line ConditionalExpression,EqualityOperator: refilling the pool earlier gives equally random bytes
  if (offset + length > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = pool.slice(offset, offset + length);
  pool.fill(0, offset, offset + length);
  offset += length;
  return out;
};
