// Nonces, salts, keys and ids come from node:crypto: libsodium's wasm
// randombytes_buf is ~30x slower (STACK.md). Injectable for repeatable tests.
import { randomBytes } from 'node:crypto';

export type RandomSource = (length: number) => Uint8Array;

export const systemRandom: RandomSource = (length) => new Uint8Array(randomBytes(length));
