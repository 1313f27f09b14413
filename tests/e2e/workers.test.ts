// End-to-end behaviour of `schuilnaam worker …` on the built CLI.
// One initialised vault is shared per describe block; tests that add workers
// use their own e-mail addresses and personnel numbers, so they do not collide.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk, type WorkerJson } from '../helpers/expect.js';

const ID = /^W-[0-9a-z]{8}$/u;
const LIST_KEYS = ['email', 'employee_no', 'first_name', 'id', 'initials', 'last_name', 'phone', 'prefix', 'status', 'team'];
const IDENTITY = ['first_name', 'prefix', 'last_name', 'initials', 'email', 'phone', 'employee_no'] as const;

type Worker = WorkerJson & { status: 'active' | 'offboarded' };
const ok = expectOk;
const usage = (r: RunResult) => expectCleanError(r, 2);

function addArgs(f: Partial<Record<string, string>>): string[] {
  const flag: Record<string, string> = {
    first_name: '--first-name',
    prefix: '--prefix',
    last_name: '--last-name',
    initials: '--initials',
    email: '--email',
    phone: '--phone',
    employee_no: '--employee-no',
    team: '--team',
  };
  return Object.entries(f).flatMap(([k, v]) => (v === undefined ? [] : [flag[k]!, v]));
}

describe('worker add, show and list', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
  });
  afterAll(() => sb.cleanup());

  const list = async (): Promise<Worker[]> => json<Worker[]>(ok(await sb.runP(['worker', 'list', '--json'])));
  const show = async (id: string): Promise<Worker> => json<Worker>(ok(await sb.runP(['worker', 'show', id, '--json'])));

  const anneMarie = {
    first_name: 'Anne-Marie',
    prefix: "van 't",
    last_name: 'Jansen-Özdemir',
    email: 'a.vanthjansen@jeugd-voorbeeld.nl',
    phone: '06-41234567',
    employee_no: 'P-20 001',
    team: 'Team Noord-Oost',
  };
  let anneMarieId = '';

  it('worker add prints only the new id on stdout and nothing on stderr', async () => {
    const r = ok(await sb.runP(['worker', 'add', ...addArgs(anneMarie)]));
    expect(r.stdout).toMatch(/^W-[0-9a-z]{8}\n$/u);
    anneMarieId = r.stdout.trim();
  });

  it('every flag comes back exactly from show --json, initials derived as "A.M."', async () => {
    const w = await show(anneMarieId);
    expect(w).toMatchObject({ id: anneMarieId, ...anneMarie, initials: 'A.M.', status: 'active' });
  });

  it('list --json items have exactly the documented keys and the same values', async () => {
    const ws = await list();
    expect(ws.length).toBeGreaterThan(0);
    for (const w of ws) expect(Object.keys(w).sort()).toEqual(LIST_KEYS);
    const w = ws.find((x) => x.id === anneMarieId);
    expect(w).toEqual({ id: anneMarieId, ...anneMarie, initials: 'A.M.', status: 'active' });
  });

  it('worker add --json prints {"id":"W-…"} and nothing else; diacritics and explicit initials survive', async () => {
    const chloe = { first_name: 'Chloë Émilie', last_name: 'Ĳzerman', initials: 'C.É.', team: 'Team Zuid' };
    const r = ok(await sb.runP(['worker', 'add', ...addArgs(chloe), '--json']));
    const out = json<{ id: string }>(r);
    expect(Object.keys(out)).toEqual(['id']);
    expect(out.id).toMatch(ID);
    const w = await show(out.id);
    expect(w).toMatchObject({ ...chloe, prefix: null, email: null, phone: null, employee_no: null, status: 'active' });
  });

  it('missing --last-name is a usage error and adds nothing', async () => {
    const before = await list();
    const r = usage(await sb.runP(['worker', 'add', '--first-name', 'Femke']));
    expect(r.stderr).toContain('--last-name');
    expect(await list()).toEqual(before);
  });

  it('an invalid e-mail is exit 2 naming the field without echoing the value', async () => {
    const before = await list();
    const bad = 'femke.de.graaf@@voorbeeld';
    const r = usage(await sb.runP(['worker', 'add', '--first-name', 'Femke', '--prefix', 'de', '--last-name', 'Graaf', '--email', bad]));
    expect(r.stderr).toMatch(/e-?mail/iu);
    expect(r.stderr).not.toContain(bad);
    expect(r.stderr).not.toContain('femke');
    expect(r.stderr).not.toContain('Graaf');
    expect(await list()).toEqual(before);
  });

  it('a duplicate e-mail in another case is refused, naming the other worker, nothing added', async () => {
    const before = await list();
    const r = usage(
      await sb.runP(['worker', 'add', '--first-name', 'Joris', '--last-name', 'Bleeker', '--email', 'A.VanthJansen@Jeugd-Voorbeeld.NL']),
    );
    expect(r.stderr).toContain(anneMarieId);
    expect(r.stderr).not.toContain('Bleeker');
    expect(await list()).toEqual(before);
  });

  it('a duplicate personnel number with other separators is refused, naming the other worker, nothing added', async () => {
    const first = ok(await sb.runP(['worker', 'add', '--first-name', 'Wessel', '--last-name', 'Tromp', '--employee-no', 'P-10 231'])).stdout.trim();
    expect(first).toMatch(ID);
    const before = await list();
    const r = usage(await sb.runP(['worker', 'add', '--first-name', 'Maud', '--last-name', 'Kroes', '--employee-no', 'p10231']));
    expect(r.stderr).toContain(first);
    expect(r.stderr).not.toContain('p10231');
    expect(await list()).toEqual(before);
  });

  it('human worker list has a header row and the names', async () => {
    const r = ok(await sb.runP(['worker', 'list']));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\b/u);
    expect(lines[0]).toContain('STATUS');
    expect(r.stdout).toContain("Anne-Marie van 't Jansen-Özdemir");
    expect(r.stdout).toContain('Wessel Tromp');
    expect(lines.some((l) => l.startsWith(anneMarieId))).toBe(true);
  });

  it('worker show prints the fields for people', async () => {
    const r = ok(await sb.runP(['worker', 'show', anneMarieId]));
    expect(r.stdout).toContain(anneMarieId);
    expect(r.stdout).toContain('Jansen-Özdemir');
    expect(r.stdout).toContain('a.vanthjansen@jeugd-voorbeeld.nl');
  });

  it('an unknown id for show, update or offboard is exit 2', async () => {
    for (const id of ['W-zzzzzzzz', 'nonsense']) {
      usage(await sb.runP(['worker', 'show', id]));
      usage(await sb.runP(['worker', 'update', id, '--team', 'Team West']));
      usage(await sb.runP(['worker', 'offboard', id, '--yes']));
    }
  });
});

describe('worker import', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
  });
  afterAll(() => sb.cleanup());

  const rows = [
    { first_name: 'Sietske', prefix: 'van der', last_name: 'Meulen', initials: 'S.', email: 's.vdmeulen@jeugd-voorbeeld.nl', phone: '06-51234567', employee_no: 'P-30001', team: 'Team Noord' },
    { first_name: 'Anne-Marie', prefix: "van 't", last_name: 'Hoogveld', initials: 'A.M.', email: 'am.hoogveld@jeugd-voorbeeld.nl', phone: '+31 6 5123 4568', employee_no: 'P-30002', team: 'Team Zuid' },
    { first_name: 'Zoë', prefix: null, last_name: 'Bakkum-Ruiter', initials: 'Z.', email: null, phone: null, employee_no: 'P-30003', team: null },
    { first_name: 'IJsbrand', prefix: 'de', last_name: 'Wilde', initials: 'IJ.', email: 'i.dewilde@jeugd-voorbeeld.nl', phone: '020-1234567', employee_no: null, team: 'Team Noord' },
  ];

  it('imports all rows and returns {"imported":N,"ids":[…]} in row order', async () => {
    const csv =
      'first_name;prefix;last_name;initials;email;phone;employee_no;team\n' +
      rows.map((r) => [r.first_name, r.prefix, r.last_name, r.initials, r.email, r.phone, r.employee_no, r.team].map((v) => v ?? '').join(';')).join('\n') +
      '\n';
    const file = path.join(sb.dir, 'hr-export.csv');
    fs.writeFileSync(file, csv);
    const r = ok(await sb.runP(['worker', 'import', file, '--json']));
    const out = json<{ imported: number; ids: string[] }>(r);
    expect(out.imported).toBe(rows.length);
    expect(out.ids).toHaveLength(rows.length);
    expect(new Set(out.ids).size).toBe(rows.length);
    for (const [i, id] of out.ids.entries()) {
      expect(id).toMatch(ID);
      const w = json<Worker>(ok(await sb.runP(['worker', 'show', id, '--json'])));
      expect(w, `row ${i + 1}`).toMatchObject({ id, ...rows[i], status: 'active' });
    }
    const listed = json<Worker[]>(ok(await sb.runP(['worker', 'list', '--json'])));
    expect(listed.map((w) => w.id)).toEqual(out.ids);
  });

  it('a bad row names its line, exit 2, and nothing is imported', async () => {
    const before = json<Worker[]>(ok(await sb.runP(['worker', 'list', '--json'])));
    const file = path.join(sb.dir, 'bad.csv');
    fs.writeFileSync(file, 'first_name,last_name,email\nGerrit,Bosman,g.bosman@jeugd-voorbeeld.nl\nLieke,,l.smeets@jeugd-voorbeeld.nl\n');
    const r = usage(await sb.runP(['worker', 'import', file, '--json']));
    expect(r.stderr).toMatch(/line 3/u);
    expect(r.stderr).not.toContain('smeets');
    expect(json<Worker[]>(ok(await sb.runP(['worker', 'list', '--json'])))).toEqual(before);
  });

  it('human import output names the count and the ids', async () => {
    const file = path.join(sb.dir, 'one.csv');
    fs.writeFileSync(file, 'first_name,last_name\nMarit,Oosterhof\n');
    const r = ok(await sb.runP(['worker', 'import', file]));
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/imported 1 worker/u);
    expect(lines[1]).toMatch(ID);
  });
});

describe('worker update', () => {
  let sb: Sandbox;
  let id = '';
  let other = '';
  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    id = (
      await sb.runP(['worker', 'add', '--first-name', 'Lotte', '--prefix', 'ter', '--last-name', 'Horst', '--email', 'l.terhorst@jeugd-voorbeeld.nl', '--phone', '06-61234567', '--team', 'Team Oost'])
    ).stdout.trim();
    other = (await sb.runP(['worker', 'add', '--first-name', 'Daan', '--last-name', 'Everts', '--email', 'd.everts@jeugd-voorbeeld.nl'])).stdout.trim();
    expect(id).toMatch(ID);
    expect(other).toMatch(ID);
  });
  afterAll(() => sb.cleanup());

  const show = async (wid: string): Promise<Worker> => json<Worker>(ok(await sb.runP(['worker', 'show', wid, '--json'])));

  it('changes a field and leaves the others alone', async () => {
    const before = await show(id);
    ok(await sb.runP(['worker', 'update', id, '--team', 'Team West']));
    expect(await show(id)).toEqual({ ...before, team: 'Team West', updated_at: expect.any(String) });
  });

  it('clears an optional field given as ""', async () => {
    ok(await sb.runP(['worker', 'update', id, '--phone', '']));
    const w = await show(id);
    expect(w.phone).toBeNull();
    expect(w.email).toBe('l.terhorst@jeugd-voorbeeld.nl');
  });

  it('refuses to clear the first name', async () => {
    const before = await show(id);
    const r = usage(await sb.runP(['worker', 'update', id, '--first-name', '']));
    expect(r.stderr).toMatch(/first[ _-]?name/iu);
    expect(await show(id)).toEqual(before);
  });

  it("refuses another worker's e-mail, naming that worker", async () => {
    const before = await show(id);
    const r = usage(await sb.runP(['worker', 'update', id, '--email', 'D.Everts@jeugd-voorbeeld.nl']));
    expect(r.stderr).toContain(other);
    expect(await show(id)).toEqual(before);
  });

  it('keeping its own e-mail is not a duplicate', async () => {
    ok(await sb.runP(['worker', 'update', id, '--email', 'L.TerHorst@jeugd-voorbeeld.nl']));
    expect((await show(id)).email).toBe('L.TerHorst@jeugd-voorbeeld.nl');
  });

  it('with no fields is exit 2', async () => {
    const before = await show(id);
    usage(await sb.runP(['worker', 'update', id]));
    expect(await show(id)).toEqual(before);
  });
});

describe('worker offboard', () => {
  let sb: Sandbox;
  let id = '';
  const email = 'b.vanhoorn@jeugd-voorbeeld.nl';
  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    id = (
      await sb.runP(['worker', 'add', '--first-name', 'Bram', '--prefix', 'van', '--last-name', 'Hoorn', '--email', email, '--phone', '06-71234567', '--employee-no', 'P-40001', '--team', 'Team Noord'])
    ).stdout.trim();
    expect(id).toMatch(ID);
  });
  afterAll(() => sb.cleanup());

  const show = async (wid: string): Promise<Worker & { offboarded_at?: string | null }> =>
    json<Worker>(ok(await sb.runP(['worker', 'show', wid, '--json'])));

  it('without a TTY and without --yes is exit 2 and changes nothing', async () => {
    const before = await show(id);
    const r = usage(await sb.runP(['worker', 'offboard', id]));
    expect(r.stderr).toContain('--yes');
    expect(await show(id)).toEqual(before);
    expect(before.status).toBe('active');
  });

  it('with --yes shreds the identity: status offboarded, identity fields null in show and list', async () => {
    const r = ok(await sb.runP(['worker', 'offboard', id, '--yes']));
    expect(r.stdout).toContain(id);
    expect(r.stdout).not.toContain('Hoorn');
    const w = await show(id);
    expect(w.status).toBe('offboarded');
    for (const f of IDENTITY) expect(w[f], f).toBeNull();
    const listed = json<Worker[]>(ok(await sb.runP(['worker', 'list', '--json']))).find((x) => x.id === id);
    expect(listed).toBeDefined();
    expect(Object.keys(listed!).sort()).toEqual(LIST_KEYS);
    expect(listed!.status).toBe('offboarded');
    for (const f of IDENTITY) expect(listed![f], f).toBeNull();
    const human = ok(await sb.runP(['worker', 'list']));
    expect(human.stdout).toContain(id);
    expect(human.stdout).not.toContain('Hoorn');
  });

  it('an update afterwards is exit 2', async () => {
    usage(await sb.runP(['worker', 'update', id, '--team', 'Team Zuid']));
    expect((await show(id)).status).toBe('offboarded');
  });

  it('offboarding twice is exit 2', async () => {
    usage(await sb.runP(['worker', 'offboard', id, '--yes']));
  });

  it("an offboarded worker's e-mail and personnel number can be used by a new worker", async () => {
    const r = ok(await sb.runP(['worker', 'add', '--first-name', 'Noor', '--last-name', 'Verbeek', '--email', email, '--employee-no', 'P-40001', '--json']));
    const newId = json<{ id: string }>(r).id;
    expect(newId).toMatch(ID);
    expect(newId).not.toBe(id);
    expect((await show(newId)).email).toBe(email);
  });
});

describe('global options before or after the subcommand', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    ok(await sb.runP(['worker', 'add', '--first-name', 'Ilse', '--last-name', 'Dijkhuis', '--team', 'Team Midden']));
  });
  afterAll(() => sb.cleanup());

  it('--json before and after gives the same document', async () => {
    const before = ok(await sb.run(['--json', '--passphrase-file', sb.passFile, 'worker', 'list']));
    const after = ok(await sb.runP(['worker', 'list', '--json']));
    const middle = ok(await sb.runP(['worker', '--json', 'list']));
    expect(json(before)).toEqual(json(after));
    expect(json(middle)).toEqual(json(after));
    expect(json<Worker[]>(after)[0]!.last_name).toBe('Dijkhuis');
  });

  it('--vault before and after the subcommand overrides SCHUILNAAM_VAULT', async () => {
    const env = { SCHUILNAAM_VAULT: path.join(sb.dir, 'elsewhere.db') };
    const before = ok(await sb.run(['--vault', sb.vault, 'worker', 'list', '--json', '--passphrase-file', sb.passFile], { env }));
    const after = ok(await sb.run(['worker', 'list', '--vault', sb.vault, '--json', '--passphrase-file', sb.passFile], { env }));
    expect(json<Worker[]>(before).map((w) => w.last_name)).toEqual(['Dijkhuis']);
    expect(json(after)).toEqual(json(before));
    expect(fs.existsSync(env.SCHUILNAAM_VAULT)).toBe(false);
  });
});
