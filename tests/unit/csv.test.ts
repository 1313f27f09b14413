import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { detectDelimiter, parseWorkerCsv } from '../../src/formats/worker-csv.js';

// Invented people only.

function usageError(text: string): UsageError {
  try {
    parseWorkerCsv(text);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError, got none');
}

describe('parseWorkerCsv: separators and quoting', () => {
  it('reads a comma-separated file', () => {
    expect(parseWorkerCsv('first_name,last_name,team\nSanne,Wal,Team Noord\nKoen,Özdemir,Team Zuid\n')).toEqual([
      { line: 2, input: { first_name: 'Sanne', last_name: 'Wal', team: 'Team Noord' } },
      { line: 3, input: { first_name: 'Koen', last_name: 'Özdemir', team: 'Team Zuid' } },
    ]);
  });

  it('reads a semicolon-separated file (Dutch Excel), with commas inside fields', () => {
    expect(parseWorkerCsv('first_name;prefix;last_name;team\nSanne;van der;Wal;Noord, Drenthe\n')).toEqual([
      { line: 2, input: { first_name: 'Sanne', prefix: 'van der', last_name: 'Wal', team: 'Noord, Drenthe' } },
    ]);
  });

  it('detectDelimiter counts separators in the header only, ignoring quoted ones', () => {
    expect(detectDelimiter('a;b;c\n1,2,3,4,5,6\n')).toBe(';');
    expect(detectDelimiter('a,b\n1;2;3;4\n')).toBe(',');
    expect(detectDelimiter('"a;b;c",d\n')).toBe(',');
    expect(detectDelimiter('\ufeffa;b\n')).toBe(';');
    expect(detectDelimiter('first_name\n')).toBe(',');
  });

  it('strips a UTF-8 byte-order mark', () => {
    const rows = parseWorkerCsv('\ufefffirst_name;last_name\nChloë;Jansen-Smit\n');
    expect(rows).toEqual([{ line: 2, input: { first_name: 'Chloë', last_name: 'Jansen-Smit' } }]);
    expect(Object.keys(rows[0]!.input)).toEqual(['first_name', 'last_name']);
  });

  it('reads quoted fields with embedded separators, doubled quotes and line breaks', () => {
    const rows = parseWorkerCsv('first_name,last_name,team\n"Sanne","Wal","Team ""Noord"", Groningen"\nKoen,"Özdemir","Zuid;\nLimburg"\n');
    expect(rows.map((r) => r.input)).toEqual([
      { first_name: 'Sanne', last_name: 'Wal', team: 'Team "Noord", Groningen' },
      { first_name: 'Koen', last_name: 'Özdemir', team: 'Zuid;\nLimburg' },
    ]);
  });

  it('reads quoted fields in a semicolon file', () => {
    const rows = parseWorkerCsv('first_name;prefix;last_name;team\nJan;"van \'t";"Hoog; land ""x""";"a,b"\n');
    expect(rows[0]!.input).toEqual({ first_name: 'Jan', prefix: "van 't", last_name: 'Hoog; land "x"', team: 'a,b' });
  });

  it('handles CRLF line endings without leaving \\r in values', () => {
    const rows = parseWorkerCsv('first_name,last_name,team\r\nSanne,Wal,Noord\r\nKoen,Özdemir,Zuid\r\n');
    expect(rows).toEqual([
      { line: 2, input: { first_name: 'Sanne', last_name: 'Wal', team: 'Noord' } },
      { line: 3, input: { first_name: 'Koen', last_name: 'Özdemir', team: 'Zuid' } },
    ]);
  });

  it('reads a file without a final newline', () => {
    expect(parseWorkerCsv('first_name,last_name\nSanne,Wal')).toEqual([{ line: 2, input: { first_name: 'Sanne', last_name: 'Wal' } }]);
  });

  it('keeps empty fields as "" (so the validator sees them as absent)', () => {
    expect(parseWorkerCsv('first_name;prefix;last_name\nSanne;;Wal\n')[0]!.input).toEqual({ first_name: 'Sanne', prefix: '', last_name: 'Wal' });
  });
});

describe('parseWorkerCsv: header', () => {
  it('normalises case, spaces and dashes in column names', () => {
    const rows = parseWorkerCsv('First Name, Last-Name ,EMAIL,EMPLOYEE NO,  Team\nSanne,Wal,s.wal@example.org,P-10231,Noord\n');
    expect(rows[0]!.input).toEqual({ first_name: 'Sanne', last_name: 'Wal', email: 's.wal@example.org', employee_no: 'P-10231', team: 'Noord' });
  });

  it('takes the columns in any order', () => {
    const rows = parseWorkerCsv('team;last_name;email;first_name;prefix;initials;phone;employee_no\nNoord;Wal;s.wal@example.org;Sanne;van der;S.;06-41234567;P-1\n');
    expect(rows[0]!.input).toEqual({
      first_name: 'Sanne',
      prefix: 'van der',
      last_name: 'Wal',
      initials: 'S.',
      email: 's.wal@example.org',
      phone: '06-41234567',
      employee_no: 'P-1',
      team: 'Noord',
    });
  });

  it('rejects an unknown column by its position and the header line, without echoing the text', () => {
    const e = usageError('first_name,last_name,salary\nSanne,Wal,1\n');
    expect(e.message).toBe('line 1: column 3 has an unknown name');
    expect(e.message).not.toContain('salary');
    expect(e.hint).toContain('first_name,prefix,last_name,initials,email,phone,employee_no,team');
  });

  it('reports the header line number after leading blank lines', () => {
    expect(usageError('\n\nfirst_name,last_name,salary\nSanne,Wal,1\n').message).toBe('line 3: column 3 has an unknown name');
  });

  it('does not echo the first row of a file without a header (it is someone\'s data)', () => {
    const e = usageError('Sanne,Wal\nKoen,Özdemir\n');
    expect(e.message).toBe('line 1: column 1 has an unknown name');
    expect(`${e.message} ${e.hint}`).not.toMatch(/sanne|wal/i);
    expect(e.hint).toContain('header row missing');
  });

  it('accepts "E-mail" as the email column', () => {
    expect(parseWorkerCsv('first_name,last_name,E-mail\nSanne,Wal,s@example.org\n')[0]!.input.email).toBe('s@example.org');
  });

  it('rejects a duplicate column, also when spelt differently', () => {
    expect(usageError('first_name,last_name,First Name\nSanne,Wal,Sanne\n').message).toBe('line 1: column "first_name" appears twice');
  });

  it.each([
    ['first_name', 'last_name,team\nWal,Noord\n'],
    ['last_name', 'first_name,team\nSanne,Noord\n'],
  ])('rejects a file without the required %s column', (column, text) => {
    const e = usageError(text);
    expect(e.message).toBe(`the CSV file has no ${column} column`);
  });

  it('does not echo personal data when the header row is missing', () => {
    // An export without a header: the first person's details are read as column names.
    const e = usageError('Sanne,Wal,s.wal@example.org\nKoen,Özdemir,k.ozdemir@example.org\n');
    expect(e.message).toMatch(/^line 1: /u);
    const said = `${e.message} ${e.hint ?? ''}`.toLowerCase();
    for (const secret of ['sanne', 'wal@', 's.wal@example.org']) expect(said).not.toContain(secret);
  });

  it.each([
    ['header only', 'first_name,last_name\n'],
    ['header only, no newline', 'first_name,last_name'],
    ['header and blank lines', 'first_name;last_name\r\n\r\n\r\n'],
  ])('rejects a %s file', (_what, text) => {
    expect(usageError(text).message).toBe('the CSV file has a header but no rows');
  });

  it.each([
    ['empty', ''],
    ['only a BOM', '\ufeff'],
    ['only blank lines', '\n\r\n  \n'],
  ])('rejects an %s file', (_what, text) => {
    const e = usageError(text);
    expect(e.message).toBe('the CSV file is empty');
    expect(e.hint).toContain('first_name and last_name are required');
  });
});

describe('parseWorkerCsv: line numbers', () => {
  it('counts skipped blank lines', () => {
    const rows = parseWorkerCsv('first_name,last_name\n\nSanne,Wal\n\n\nKoen,Özdemir\n');
    expect(rows.map((r) => r.line)).toEqual([3, 6]);
  });

  it('counts skipped blank lines with CRLF and a BOM', () => {
    const rows = parseWorkerCsv('\ufefffirst_name;last_name\r\n\r\nSanne;Wal\r\nKoen;Özdemir\r\n');
    expect(rows.map((r) => r.line)).toEqual([3, 4]);
  });

  it('skips a line holding only spaces as blank', () => {
    const rows = parseWorkerCsv('first_name,last_name\nSanne,Wal\n   \nKoen,Özdemir\n');
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it('gives a row that spans lines (quoted line break) the line it starts on', () => {
    const rows = parseWorkerCsv('first_name,last_name,team\nSanne,Wal,"Noord\nGroningen"\nKoen,Özdemir,Zuid\n');
    expect(rows.map((r) => r.line)).toEqual([2, 4]);
  });

  it.each([
    ['too many fields', 'first_name,last_name\nSanne,Wal\nKoen,Özdemir,Zuid\n', 3],
    ['too few fields', 'first_name,last_name\nSanne,Wal\nKoen\n', 3],
    ['too few fields after blank lines', 'first_name,last_name\n\nSanne,Wal\n\n\nKoen\n', 6],
    ['too few fields with CRLF', 'first_name;last_name\r\nSanne;Wal\r\nKoen\r\n', 3],
  ])('a ragged row (%s) is a UsageError starting with its line number', (_what, text, line) => {
    const e = usageError(text);
    expect(e.message).toBe(`line ${line}: the row has a different number of fields than the header`);
    expect(e.hint).toBe('nothing was imported');
  });

  it('an unclosed quote names a line and says so', () => {
    const e = usageError('first_name,last_name\nSanne,"Wal\n');
    expect(e.message).toMatch(/^line \d+: a quoted field is not closed$/u);
  });

  it('a quote in the middle of a field names its line', () => {
    const e = usageError('first_name,last_name\nSanne,Wal\nKoen,"Öz"demir"\n');
    expect(e.message).toMatch(/^line 3: a quote in the middle of a field/u);
  });

  it('does not echo field contents in a parse error', () => {
    const e = usageError('first_name,last_name\nSanne,Wal\nKoen,"Özdemir\n');
    expect(e.message).not.toContain('Koen');
    expect(e.message).not.toContain('Özdemir');
  });
});
