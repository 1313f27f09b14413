// Everything a command needs, built once per run from global options and the
// process. Commands get it as `ctx`; tests build their own.
import { kdfProfile, type KdfProfile } from '../crypto/kdf.js';
import { systemRandom, type RandomSource } from '../crypto/random.js';
import { resolveVaultPath, runtimeDir } from '../vault/paths.js';
import type { VaultDeps } from '../vault/deps.js';
import { Terminal, type Io } from './terminal.js';

export interface GlobalOptions {
  vault?: string;
  passphraseFile?: string;
  json?: boolean;
  color?: boolean;
  user?: string;
}

export interface Runtime extends Io {
  clock?: () => Date;
  random?: RandomSource;
}

export interface Ctx {
  globals: GlobalOptions;
  json: boolean;
  term: Terminal;
  env: Io['env'];
  vaultPath: string;
  runtimeDir: string;
  deps: VaultDeps;
  /** Command line that started this run, for messages like `run "schuilnaam …"`. */
  bin: string;
}

export function makeContext(globals: GlobalOptions, rt: Runtime): Ctx {
  const profile: KdfProfile = kdfProfile(rt.env.SCHUILNAAM_KDF_PROFILE);
  const busy = Number(rt.env.SCHUILNAAM_BUSY_TIMEOUT_MS);
  return {
    globals,
    json: Boolean(globals.json),
    term: new Terminal(rt, globals.color !== false),
    env: rt.env,
    vaultPath: resolveVaultPath(globals.vault, rt.env),
    runtimeDir: runtimeDir(rt.env),
    deps: {
      clock: rt.clock ?? (() => new Date()),
      random: rt.random ?? systemRandom,
      kdfProfile: profile,
      busyTimeoutMs: Number.isFinite(busy) && busy > 0 ? busy : undefined,
    },
    bin: 'schuilnaam',
  };
}
