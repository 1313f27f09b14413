import { UsageError } from '../../errors.js';
import type { TeamSettings } from '../../vault/teams.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit, fields, table } from '../output.js';

/** argv -> the settings a team or the vault defaults should change. */
export function policyPatch(opts: Record<string, unknown>): TeamSettings {
  const patch: TeamSettings = {};
  if (opts.style !== undefined) {
    if (opts.style !== 'name' && opts.style !== 'code') throw new UsageError(`invalid style "${String(opts.style)}"`, 'use name or code');
    patch.style = opts.style;
  }
  if (opts.scope !== undefined) {
    if (opts.scope !== 'case' && opts.scope !== 'worker') throw new UsageError(`invalid scope "${String(opts.scope)}"`, 'use case or worker');
    patch.scope = opts.scope;
  }
  if (opts.codePrefix !== undefined) patch.code_prefix = String(opts.codePrefix).toUpperCase();
  if (opts.codeDigits !== undefined) patch.code_digits = Number(opts.codeDigits);
  for (const k of ['phone', 'email', 'address'] as const) if (opts[k] !== undefined) patch[k] = String(opts[k]);
  return patch;
}

export async function set(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const patch = policyPatch(opts);
  if (Object.keys(patch).length === 0) throw new UsageError('nothing to set', 'give --style, --scope, --code-prefix, --code-digits, --phone, --email or --address');
  const t = await withVault(ctx, async (v) => (opts.default ? { name: '(vault default)', settings: v.teams.setDefaults(patch) } : v.setTeam(args[0] ?? '', patch)));
  emit(ctx, t, (d, s) => [`updated ${d.name}`, ...fields(Object.entries(d.settings).map(([k, v]) => [k, String(v).replace(/\n/gu, ', ')]), s)]);
}

export async function list(ctx: Ctx): Promise<void> {
  const out = await withVault(ctx, (v) => ({ defaults: v.teams.defaults(), teams: v.teams.list() }));
  emit(ctx, out, (d, s) => [
    `defaults: style=${d.defaults.style} scope=${d.defaults.scope} code=${d.defaults.code_prefix}-${'9'.repeat(d.defaults.code_digits)}-X`,
    ...(d.teams.length === 0
      ? ['no team settings']
      : table(
          ['TEAM', 'STYLE', 'SCOPE', 'CODE PREFIX', 'PHONE', 'E-MAIL'],
          d.teams.map((t) => [t.name, t.settings.style ?? '-', t.settings.scope ?? '-', t.settings.code_prefix ?? '-', t.settings.phone ?? '-', t.settings.email ?? '-']),
          s,
        )),
  ]);
}
