// Team settings (pseudonym style, code prefix, default scope) and the vault-wide
// defaults they override. Team names are sealed; found through a lookup hash.
import { ID_RANDOM_BYTES, randomId } from '../core/ids.js';
import { teamKey, validateTeamName, type Scope } from '../core/case-fields.js';
import { DEFAULT_CODE_DIGITS, DEFAULT_CODE_PREFIX, isValidCodePrefix, type PseudonymStyle } from '../core/pseudonym-gen.js';
import { CONTACT_FIELDS, validateTeamContact, type TeamContact } from '../core/team-contact.js';
import { FieldError } from '../core/worker-fields.js';
import { UsageError } from '../errors.js';
import type { AuditLog } from './audit.js';
import type { VaultContext } from './context.js';
import { openField, sealField } from './sealing.js';

export interface PseudonymPolicy {
  style: PseudonymStyle;
  scope: Scope;
  code_prefix: string;
  code_digits: number;
}

/** What a team may set: its pseudonym policy and its functional contact details (sealed together). */
export type TeamSettings = Partial<PseudonymPolicy> & TeamContact;

export interface TeamView {
  name: string;
  settings: TeamSettings;
}

const DEFAULT_POLICY: PseudonymPolicy = { style: 'name', scope: 'case', code_prefix: DEFAULT_CODE_PREFIX, code_digits: DEFAULT_CODE_DIGITS };
const META_KEY = 'pseudonym_defaults';

const POLICY_FIELDS = ['style', 'scope', 'code_prefix', 'code_digits'] as const;

function policyPart(s: TeamSettings | undefined): Partial<PseudonymPolicy> {
  const out: Record<string, unknown> = {};
  for (const k of POLICY_FIELDS) if (s?.[k] !== undefined) out[k] = s[k];
  return out as Partial<PseudonymPolicy>;
}

/** Validates a settings change; contact fields come back normalised ('' clears one). */
export function checkPolicyPatch(patch: TeamSettings): TeamSettings {
  let contact: TeamContact;
  try {
    contact = validateTeamContact({ phone: patch.phone, email: patch.email, address: patch.address });
  } catch (e) {
    if (e instanceof FieldError) throw new UsageError(`team ${e.message}`);
    throw e;
  }
  if (patch.code_prefix !== undefined && !isValidCodePrefix(patch.code_prefix)) {
    throw new UsageError(`invalid code prefix "${patch.code_prefix}"`, 'use 1-4 capital letters other than I and O (e.g. JB)');
  }
  if (patch.code_digits !== undefined && !(Number.isInteger(patch.code_digits) && patch.code_digits >= 3 && patch.code_digits <= 8)) {
    throw new UsageError('code digits must be a whole number from 3 to 8');
  }
  const out: TeamSettings = { ...patch };
  for (const k of CONTACT_FIELDS) if (contact[k] !== undefined) out[k] = contact[k];
  return out;
}

export class Teams {
  /** Policies by team key, for this process; cleared on every settings change. */
  private readonly cache = new Map<string, PseudonymPolicy>();

  constructor(
    private readonly ctx: VaultContext,
    private readonly audit: AuditLog,
  ) {}

  defaults(): PseudonymPolicy {
    const raw = this.ctx.store.getMeta(META_KEY);
    return raw ? { ...DEFAULT_POLICY, ...(JSON.parse(raw) as TeamSettings) } : { ...DEFAULT_POLICY };
  }

  setDefaults(patch: TeamSettings): PseudonymPolicy {
    this.ctx.require('cases.change');
    if (CONTACT_FIELDS.some((k) => patch[k] !== undefined)) throw new UsageError('contact details belong to a team, not to the vault defaults', 'name the team: schuilnaam team set "Team Noord" --phone …');
    checkPolicyPatch(patch);
    return this.ctx.store.transaction(() => {
      this.cache.clear();
      const next = { ...this.defaults(), ...patch };
      this.ctx.store.setMeta(META_KEY, JSON.stringify(next));
      this.audit.append('settings.update', 'vault', { fields: Object.keys(patch) });
      return next;
    });
  }

  private settingsOf(name: string): TeamSettings | undefined {
    const key = teamKey(name);
    const row = this.ctx.cases.teamByIndex(this.ctx.lookup('team', key));
    if (!row) return undefined;
    return JSON.parse(openField(this.ctx.key('casefacing'), row.settings, { table: 'teams', column: 'settings', rowId: row.id })) as TeamSettings;
  }

  /** The policy for a team: its own settings over the vault defaults. */
  policy(team: string | null): PseudonymPolicy {
    const key = team === null ? '' : teamKey(team);
    let p = this.cache.get(key);
    if (!p) {
      p = { ...this.defaults(), ...policyPart(team ? this.settingsOf(team) : undefined) };
      this.cache.set(key, p);
    }
    return p;
  }

  /** A team's functional phone, mailbox and address (empty when it has none). */
  contact(team: string | null): TeamContact {
    const s = team ? this.settingsOf(team) : undefined;
    const out: TeamContact = {};
    for (const k of CONTACT_FIELDS) if (s?.[k]) out[k] = s[k];
    return out;
  }

  set(rawName: string, rawPatch: TeamSettings): TeamView {
    this.ctx.require('cases.change');
    const name = validateTeamName(rawName);
    if (!name) throw new UsageError('invalid team name', 'use 1-100 printable characters');
    const patch = checkPolicyPatch(rawPatch);
    return this.ctx.store.transaction(() => {
      this.cache.clear();
      const index = this.ctx.lookup('team', teamKey(name));
      const existing = this.ctx.cases.teamByIndex(index);
      const id = existing?.id ?? randomId('T', this.ctx.random(ID_RANDOM_BYTES));
      const current = existing ? this.settingsOf(name)! : {};
      const settings: TeamSettings = { ...current, ...patch };
      for (const k of CONTACT_FIELDS) if (settings[k] === '') delete settings[k];
      const now = this.ctx.now();
      const k = this.ctx.key('casefacing');
      this.ctx.cases.upsertTeam({
        id,
        name_index: index,
        name: existing?.name ?? sealField(k, name, { table: 'teams', column: 'name', rowId: id }, this.ctx.random),
        settings: sealField(k, JSON.stringify(settings), { table: 'teams', column: 'settings', rowId: id }, this.ctx.random),
        created_at: existing?.created_at ?? now,
        updated_at: now,
      });
      this.audit.append('team.update', id, { fields: Object.keys(patch) });
      return { name, settings };
    });
  }

  list(): TeamView[] {
    const k = this.ctx.key('casefacing');
    return this.ctx.cases.teams().map((r) => ({
      name: openField(k, r.name, { table: 'teams', column: 'name', rowId: r.id }),
      settings: JSON.parse(openField(k, r.settings, { table: 'teams', column: 'settings', rowId: r.id })) as TeamSettings,
    }));
  }
}
