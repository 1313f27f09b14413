// The one place libsodium is loaded, lazily: `--version` and `--help` never
// pay for the wasm module. Default import only: named imports type-check but
// throw at run time (STACK.md).
import type sodiumModule from 'libsodium-wrappers-sumo';

export type Sodium = typeof sodiumModule;

let ready: Sodium | undefined;

export async function loadSodium(): Promise<Sodium> {
  // Stryker disable next-line ConditionalExpression: equivalent when always true, import() returns the cached module
  if (!ready) {
    const mod = (await import('libsodium-wrappers-sumo')).default;
    await mod.ready;
    ready = mod;
  }
  return ready;
}

/** Synchronous access once `loadSodium()` has resolved. */
export function sodium(): Sodium {
  if (!ready) throw new Error('libsodium used before loadSodium() resolved');
  return ready;
}

/** Best-effort wipe of key material that is no longer needed. */
export function wipe(...buffers: (Uint8Array | undefined | null)[]): void {
  for (const b of buffers) if (b) sodium().memzero(b);
}
