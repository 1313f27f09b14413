import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, makeSandbox, type Sandbox } from '../helpers/cli.js';
import { expectCleanError, expectOk } from '../helpers/expect.js';

let sb: Sandbox;
let env: Record<string, string>;
const ids: Record<string, string> = {};
const run = (args: string[]) => sb.run(args, { env });

beforeAll(async () => {
  sb = makeSandbox();
  await sb.init();
  env = { SCHUILNAAM_SESSION: (await sb.runP(['unlock'])).stdout.trim() };
  const add = async (key: string, args: string[]) => (ids[key] = expectOk(await run(['worker', 'add', ...args])).stdout.trim());
  await add('berg', ['--first-name', 'Pieter Jan', '--prefix', 'van der', '--last-name', 'Berg', '--email', 'pj.vdberg@jb-test.nl', '--phone', '06-41234567']);
  await add('koc', ['--first-name', 'Özlem', '--last-name', 'Koç', '--employee-no', 'P-10231']);
  await add('bakker', ['--first-name', 'Gerdien', '--last-name', 'Bakker']);
  expectOk(await run(['case', 'add', 'JB-R-1']));
  expectOk(await run(['case', 'assign', 'JB-R-1', ids.berg!]));
  expectOk(await run(['case', 'assign', 'JB-R-1', ids.koc!]));
});
afterAll(() => sb.cleanup());

const DRAFT = [
  'Beste ouders,',
  '',
  'Uw gesprek is met P.J. van der Berg (06 4123 4567 of PJ.vdBerg@jb-test.nl).',
  'Ook mevrouw Koç (personeelsnummer P10231) en Gerdien Bakker waren er.',
  'De bakker op de hoek weet de weg.',
  '',
].join('\n');

describe('redact', () => {
  it('replaces names by the case pseudonyms, others by [medewerker], contacts by placeholders; the copy scans clean', async () => {
    fs.writeFileSync(path.join(sb.dir, 'concept.txt'), DRAFT);
    const r = expectOk(await run(['redact', 'concept.txt', '--case', 'JB-R-1', '--out', 'brief.txt', '--json']));
    expect(json<{ path: string; replaced: number; low_left: number }>(r)).toEqual({ path: 'brief.txt', replaced: 6, low_left: 1 });
    const out = fs.readFileSync(path.join(sb.dir, 'brief.txt'), 'utf8');
    const berg = json<{ pseudonym: string; formal: string }>(await run(['pseudonym', 'get', '--case', 'JB-R-1', '--worker', ids.berg!, '--json']));
    const koc = json<{ formal: string }>(await run(['pseudonym', 'get', '--case', 'JB-R-1', '--worker', ids.koc!, '--json']));
    expect(out).toBe(
      [
        'Beste ouders,',
        '',
        `Uw gesprek is met ${berg.formal} ([telefoonnummer] of [e-mailadres]).`,
        `Ook mevrouw ${koc.formal} (personeelsnummer [personeelsnummer]) en [medewerker] waren er.`,
        'De bakker op de hoek weet de weg.',
        '',
      ].join('\n'),
    );
    for (const real of ['Berg', 'Koç', 'Koc', 'Gerdien', '4123', 'jb-test.nl', '10231']) expect(out).not.toContain(real);
    const scan = await run(['scan', 'brief.txt', '--json']);
    expect(scan.exitCode).toBe(0);
    expect(json<{ clean: boolean }>(scan).clean).toBe(true);
  });

  it('refuses to replace an existing file without --force, and replaces it with', async () => {
    fs.writeFileSync(path.join(sb.dir, 'd.md'), DRAFT);
    fs.writeFileSync(path.join(sb.dir, 'bestaat.md'), 'oud\n');
    expectCleanError(await run(['redact', 'd.md', '--case', 'JB-R-1', '--out', 'bestaat.md']), 2, /already exists/u);
    expect(fs.readFileSync(path.join(sb.dir, 'bestaat.md'), 'utf8')).toBe('oud\n');
    expectOk(await run(['redact', 'd.md', '--case', 'JB-R-1', '--out', 'bestaat.md', '--force']));
    expect(fs.readFileSync(path.join(sb.dir, 'bestaat.md'), 'utf8')).toContain('[medewerker]');
  });

  it('unknown case, unsupported type, missing input: exit 2 and no output file', async () => {
    fs.writeFileSync(path.join(sb.dir, 'e.txt'), DRAFT);
    expectCleanError(await run(['redact', 'e.txt', '--case', 'JB-NOPE', '--out', 'e-out.txt']), 2, /JB-NOPE/u);
    expectCleanError(await run(['redact', 'e.docx', '--case', 'JB-R-1', '--out', 'e-out.docx']), 2, /only \.txt and \.md/u);
    expectCleanError(await run(['redact', 'weg.txt', '--case', 'JB-R-1', '--out', 'e-out.txt']), 2, /no such file/u);
    expect(fs.readdirSync(sb.dir).filter((f) => f.startsWith('e-out') || f.includes('.tmp'))).toEqual([]);
  });
});
