// Where things live on disk, from the environment. No I/O here.
import os from 'node:os';
import path from 'node:path';

export type Env = Record<string, string | undefined>;

export function defaultVaultPath(env: Env): string {
  const dataHome = env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.join(env.HOME || os.homedir(), '.local', 'share');
  return path.join(dataHome, 'schuilnaam', 'vault.db');
}

export function resolveVaultPath(flag: string | undefined, env: Env): string {
  return path.resolve(flag || env.SCHUILNAAM_VAULT || defaultVaultPath(env));
}

/** Private folder for session files: $XDG_RUNTIME_DIR/schuilnaam, else a per-user folder in the temp dir. */
export function runtimeDir(env: Env): string {
  if (env.XDG_RUNTIME_DIR && path.isAbsolute(env.XDG_RUNTIME_DIR)) return path.join(env.XDG_RUNTIME_DIR, 'schuilnaam');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 'user';
  return path.join(os.tmpdir(), `schuilnaam-${uid}`);
}
