import { kdfProfile, type KdfProfile } from '../../crypto/kdf.js';
import { createVault, vaultExists } from '../../vault/vault.js';
import { UsageError } from '../../errors.js';
import type { Ctx } from '../context.js';
import { askNewPassphrase } from '../credentials.js';
import { emit, fields } from '../output.js';

export interface InitOptions {
  admin: string;
  kdf?: KdfProfile;
}

export function initOptions(opts: Record<string, unknown>): InitOptions {
  return { admin: String(opts.admin ?? 'admin'), kdf: opts.kdf === undefined ? undefined : kdfProfile(String(opts.kdf)) };
}

export async function init(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  await runInit(initOptions(opts), ctx);
}

export async function runInit(o: InitOptions, ctx: Ctx): Promise<void> {
  // Say so before asking for a passphrase twice.
  if (vaultExists(ctx.vaultPath)) throw new UsageError(`a vault already exists at ${ctx.vaultPath}`, 'nothing was changed; pass --vault PATH to create another one');
  const passphrase = await askNewPassphrase(ctx, ctx.globals.passphraseFile, 'vault passphrase');
  const deps = o.kdf ? { ...ctx.deps, kdfProfile: o.kdf } : ctx.deps;
  try {
    const created = await createVault(ctx.vaultPath, passphrase, o.admin, deps);
    emit(
      ctx,
      { vault: created.path, user: created.user, role: 'admin', kdf: { alg: 'argon2id13', ...created.kdf } },
      (d, s) => [
        `${s.green('created')} vault ${d.vault}`,
        ...fields(
          [
            ['administrator', d.user],
            ['key derivation', `Argon2id, ${d.kdf.opslimit} passes, ${Math.round(d.kdf.memlimit / 1048576)} MiB`],
          ],
          s,
        ),
        '',
        'Keep the passphrase safe: without it nobody can open this vault, not even with the file.',
      ],
    );
  } finally {
    passphrase.fill(0);
  }
}
