// The date a letter carries is the calendar day in Amsterdam, whatever time
// zone the machine runs in: the built CLI is run with TZ set to zones far
// ahead of and behind the Netherlands. The CLI has no clock to set, so this
// checks today's date; which hours of the day a wrong (local) date would show
// in depends on the hour, so the exact instants are tested in-process
// (tests/unit/template.test.ts, longDate). Invented people only.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSandbox, type RunResult, type Sandbox } from '../helpers/cli.js';
import { expectOk } from '../helpers/expect.js';

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

/** "7 maart 2026": the day in `zone` at `ms`, written independently of src/core/dates.ts. */
function dayIn(zone: string, ms: number): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(ms));
  const n = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return `${n('day')} ${MONTHS[n('month') - 1]} ${n('year')}`;
}

describe('the date in a letter, with the machine in another time zone', () => {
  let sb: Sandbox;
  let session = '';
  let worker = '';
  const run = (args: string[], env: Record<string, string> = {}): Promise<RunResult> => sb.run(args, { env: { SCHUILNAAM_SESSION: session, ...env } });

  beforeAll(async () => {
    sb = makeSandbox();
    await sb.init();
    session = expectOk(await sb.runP(['unlock'])).stdout.trim();
    expectOk(await run(['team', 'set', 'Team Kust', '--phone', '0223 555 010', '--email', 'team-kust@jeugdhulp-proef.nl']));
    worker = expectOk(await run(['worker', 'add', '--first-name', 'Femmigje', '--last-name', 'Zeilmakershof', '--team', 'Team Kust'])).stdout.trim();
    expectOk(await run(['case', 'add', 'TZ-2026-0415', '--team', 'Team Kust']));
    expectOk(await run(['case', 'assign', 'TZ-2026-0415', worker]));
    fs.writeFileSync(path.join(sb.dir, 'datum.txt'), 'Datum: {{today}}\nKenmerk: {{case.reference}}\n');
  });
  afterAll(() => sb?.cleanup());

  it.each(['Pacific/Kiritimati', 'America/Los_Angeles', 'UTC'])('TZ=%s: the letter is dated with the day in Amsterdam', async (zone) => {
    const out = `brief-${zone.replace(/\W+/gu, '-')}.txt`;
    const t0 = Date.now();
    expectOk(await run(['render', 'datum.txt', '--case', 'TZ-2026-0415', '--worker', worker, '--out', out], { TZ: zone }));
    const t1 = Date.now();
    const text = fs.readFileSync(path.join(sb.dir, out), 'utf8');
    const dated = /^Datum: (.+)$/mu.exec(text)?.[1];
    // Around midnight in Amsterdam the day may turn during the run; either side of it is right, no other day is.
    expect([dayIn('Europe/Amsterdam', t0), dayIn('Europe/Amsterdam', t1)]).toContain(dated);
  });

  it('the zones used differ from Amsterdam by up to 13 and 9 hours, so a local date would show', () => {
    const at = Date.parse('2026-07-31T21:30:00Z'); // 23:30 in Amsterdam
    expect(dayIn('Europe/Amsterdam', at)).toBe('31 juli 2026');
    expect(dayIn('Pacific/Kiritimati', at)).toBe('1 augustus 2026');
    expect(dayIn('America/Los_Angeles', Date.parse('2026-08-01T05:30:00Z'))).toBe('31 juli 2026'); // 07:30 in Amsterdam on 1 August
  });
});
