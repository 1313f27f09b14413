// Former workers stay protected (issue 14, finding 7): after `worker offboard`
// their identity is destroyed, but the keyed hashes of their name forms and
// contact details stay in the leak index, so scan, the leak gate and redact
// still stop their name, attributed to "a former worker". `--forget` removes
// them, at offboarding or later.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeSandbox, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';

const CASE = 'JB-OUD-2031';
let sb: Sandbox;
let gertrude: string;
let hidde: string;

interface ScanJson {
  clean: boolean;
  files: { findings: { kind: string; confidence: string; text: string; worker: string | null; former?: boolean }[] }[];
}

beforeEach(async () => {
  sb = makeSandbox();
  await sb.init();
  gertrude = json<{ id: string }>(expectOk(await sb.runP(['worker', 'add', '--first-name', 'Gertrude', '--prefix', 'van', '--last-name', 'Oosterwijck', '--email', 'g.oosterwijck@jb-oud.example', '--phone', '06 3918 2277', '--employee-no', 'PN-40417', '--team', 'Team Veen', '--json']))).id;
  hidde = json<{ id: string }>(expectOk(await sb.runP(['worker', 'add', '--first-name', 'Hidde', '--last-name', 'Scholtmeijer', '--team', 'Team Veen', '--json']))).id;
  expectOk(await sb.runP(['case', 'add', CASE, '--team', 'Team Veen']));
  for (const w of [gertrude, hidde]) expectOk(await sb.runP(['case', 'assign', CASE, w]));
  expectOk(await sb.runP(['team', 'set', 'Team Veen', '--email', 'team-veen@jb-oud.example', '--phone', '020 555 0190', '--address', 'Postbus 310\\n9400 AB Assen']));
  fs.writeFileSync(
    path.join(sb.dir, 'concept.txt'),
    'Uw vorige contactpersoon was Gertrude van Oosterwijck (g.oosterwijck@jb-oud.example, 06-39182277, PN-40417).\nNu helpt Hidde Scholtmeijer u.\n',
  );
});

afterEach(() => sb.cleanup());

async function scan(): Promise<ScanJson> {
  const r = await sb.runP(['scan', 'concept.txt', '--json']);
  expect([0, 1]).toContain(r.exitCode);
  return json<ScanJson>(r);
}

describe('worker offboard keeps the former worker protected', () => {
  it("scan still finds her name, e-mail, phone and personnel number, attributed to a former worker", async () => {
    const r = expectOk(await sb.runP(['worker', 'offboard', gertrude, '--yes']));
    expect(r.stdout).toMatch(/still checked for this former worker's name/u);
    const s = await scan();
    expect(s.clean).toBe(false);
    const hers = s.files[0]!.findings.filter((f) => f.worker === gertrude);
    expect(new Set(hers.map((f) => f.kind))).toEqual(new Set(['full-name', 'email', 'phone', 'employee-no']));
    expect(hers.every((f) => f.former === true)).toBe(true);
    // A colleague who is still here is not called former.
    const his = s.files[0]!.findings.filter((f) => f.worker === hidde);
    expect(his.length).toBeGreaterThan(0);
    expect(his.some((f) => f.former)).toBe(false);
    const human = await sb.runP(['scan', 'concept.txt']);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toContain(`(a former worker, ${gertrude})`);
    expect(human.stdout).toContain(`(${hidde})`);
  });

  it("the leak gate stops a letter with her name and says it is a former worker's", async () => {
    expectOk(await sb.runP(['worker', 'offboard', gertrude, '--yes']));
    const r = await sb.runP(['render', 'uitnodiging', '--case', CASE, '--worker', hidde, '--out', 'brief.md', '--set', 'onderwerp=het gesprek met Gertrude van Oosterwijck', '--set', 'datum=3 maart', '--set', 'tijd=11 uur', '--set', 'locatie=het bureau']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/full-name "Gertrude van Oosterwijck" \([^)]*\), a former worker, from/u);
    expect(fs.existsSync(path.join(sb.dir, 'brief.md'))).toBe(false);
  });

  it('redact replaces her name with the neutral placeholder, never with a retired pseudonym', async () => {
    const old = json<{ pseudonym: string }>(expectOk(await sb.runP(['pseudonym', 'get', '--case', CASE, '--worker', gertrude, '--json'])));
    expectOk(await sb.runP(['worker', 'offboard', gertrude, '--yes']));
    expectOk(await sb.runP(['redact', 'concept.txt', '--case', CASE, '--out', 'schoon.txt']));
    const out = fs.readFileSync(path.join(sb.dir, 'schoon.txt'), 'utf8');
    expect(out).toContain('[medewerker]');
    expect(out).not.toMatch(/Oosterwijck|g\.oosterwijck|PN-40417|39182277/u);
    expect(out).not.toContain(old.pseudonym);
    expect(out).toContain('team-veen@jb-oud.example');
  });

  it('--forget at offboarding removes her keyed hashes: her name is no longer caught', async () => {
    const r = expectOk(await sb.runP(['worker', 'offboard', gertrude, '--yes', '--forget']));
    expect(r.stdout).toMatch(/no longer checked/u);
    const s = await scan();
    expect(s.files[0]!.findings.filter((f) => f.worker === gertrude)).toEqual([]);
    expect(s.files[0]!.findings.some((f) => f.worker === hidde)).toBe(true);
    expectOk(await sb.runP(['verify']));
  });

  it('--forget later, on an already offboarded worker, removes them then; without --forget a second offboard is exit 2', async () => {
    expectOk(await sb.runP(['worker', 'offboard', gertrude, '--yes']));
    expectCleanError(await sb.runP(['worker', 'offboard', gertrude, '--yes']), 2, /already offboarded/u);
    expect((await scan()).files[0]!.findings.some((f) => f.worker === gertrude)).toBe(true);
    expectOk(await sb.runP(['worker', 'offboard', gertrude, '--yes', '--forget']));
    expect((await scan()).files[0]!.findings.some((f) => f.worker === gertrude)).toBe(false);
    const log = json<{ action: string; subject: string }[]>(expectOk(await sb.runP(['audit', 'log', '--json'])));
    expect(log.filter((e) => e.subject === gertrude).map((e) => e.action)).toEqual(expect.arrayContaining(['worker.offboard', 'worker.forget']));
    expectOk(await sb.runP(['verify']));
  });
});
