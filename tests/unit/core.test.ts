import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { ID_RANDOM_BYTES, isWorkerId, randomId } from '../../src/core/ids.js';
import {
  FieldError,
  WORKER_FIELDS,
  applyWorkerUpdate,
  canonicalEmail,
  canonicalEmployeeNo,
  canonicalPhone,
  deriveInitials,
  validateWorker,
  type WorkerField,
  type WorkerInput,
  type WorkerRecord,
} from '../../src/core/worker-fields.js';

// Invented people only.
const base = { first_name: 'Sanne', last_name: 'Wal' };

function fieldError(fn: () => unknown): FieldError {
  try {
    fn();
  } catch (e) {
    if (e instanceof FieldError) return e;
    throw e;
  }
  throw new Error('expected a FieldError, got none');
}

describe('validateWorker: names', () => {
  it('returns every field, optional ones as ""', () => {
    expect(validateWorker(base)).toEqual({
      first_name: 'Sanne',
      prefix: '',
      last_name: 'Wal',
      initials: 'S.',
      email: '',
      phone: '',
      employee_no: '',
      team: '',
    });
  });

  it.each([
    ['van der', 'Wal'],
    ["van 't", 'Hoogland'],
    ["in 't", 'Veld'],
    ['de', 'Vries'],
    ['van den', 'Berg'],
  ])('accepts the surname prefix %j', (prefix, last) => {
    const w = validateWorker({ first_name: 'Koen', prefix, last_name: last });
    expect(w.prefix).toBe(prefix);
    expect(w.last_name).toBe(last);
  });

  it("accepts a prefix that starts with an apostrophe (\"'t\", \"'s\")", () => {
    // e.g. Gerrit 't Hoen, Lotte 's Jongers (invented): both are common Dutch voorvoegsels
    expect(validateWorker({ first_name: 'Gerrit', prefix: "'t", last_name: 'Hoen' }).prefix).toBe("'t");
    expect(validateWorker({ first_name: 'Lotte', prefix: "'s", last_name: 'Jongers' }).prefix).toBe("'s");
  });

  it.each([
    ['Koen', 'Özdemir'],
    ['Chloë', 'Bakker'],
    ['Emre', 'Koç'],
    ['Anne-Marie', 'Jansen-Smit'],
    ['Zoë', "D'Souza"],
    ['Bérénice', 'Lefèvre'],
  ])('accepts %s %s unchanged', (first, last) => {
    const w = validateWorker({ first_name: first, last_name: last });
    expect(w.first_name).toBe(first);
    expect(w.last_name).toBe(last);
  });

  it('collapses whitespace, including no-break spaces, and trims', () => {
    const w = validateWorker({
      first_name: '  Jan\u00a0\u00a0Pieter ',
      prefix: ' van\u00a0 der  ',
      last_name: '\u202fBerg\u2007',
      team: '  Team   Noord ',
    });
    expect(w.first_name).toBe('Jan Pieter');
    expect(w.prefix).toBe('van der');
    expect(w.last_name).toBe('Berg');
    expect(w.team).toBe('Team Noord');
    expect(w.initials).toBe('J.P.');
  });

  it('normalises decomposed input to NFC', () => {
    const decomposed = 'Chloe\u0308';
    expect(decomposed).not.toBe('Chloë');
    const w = validateWorker({ first_name: decomposed, last_name: 'O\u0308zdemir' });
    expect(w.first_name).toBe('Chloë');
    expect(w.first_name.length).toBe(5);
    expect(w.last_name).toBe('Özdemir');
    expect(w.initials).toBe('C.');
  });

  it.each([
    ['first_name', { last_name: 'Wal' }],
    ['first_name', { first_name: '', last_name: 'Wal' }],
    ['first_name', { first_name: ' \u00a0 ', last_name: 'Wal' }],
    ['last_name', { first_name: 'Sanne' }],
    ['last_name', { first_name: 'Sanne', last_name: '   ' }],
  ] as const)('requires %s', (field, input) => {
    const e = fieldError(() => validateWorker(input));
    expect(e.field).toBe(field);
    expect(e.reason).toBe('is required');
    expect(e.message).toBe(`${field} is required`);
  });

  it.each(['Jan3', 'J@n', 'Jan_Pieter', '-Jan', '.Jan', 'Jan!', '😀'])('rejects the first name %j', (first) => {
    expect(fieldError(() => validateWorker({ first_name: first, last_name: 'Wal' })).field).toBe('first_name');
  });

  it('rejects a name longer than 100 characters, counting code points', () => {
    expect(validateWorker({ first_name: 'Ö'.repeat(100), last_name: 'Wal' }).first_name).toBe('Ö'.repeat(100));
    const e = fieldError(() => validateWorker({ first_name: 'a'.repeat(101), last_name: 'Wal' }));
    expect(e.field).toBe('first_name');
    expect(e.reason).toContain('100');
  });

  it.each([
    ['zero-width space', 'Jan\u200bPieter'],
    ['zero-width joiner', 'Jan\u200dPieter'],
    ['left-to-right mark', 'Jan\u200ePieter'],
    ['right-to-left override', 'Jan\u202ePieter'],
    ['word joiner', 'Jan\u2060Pieter'],
    ['byte-order mark', '\ufeffJan'],
    ['NUL', 'Jan\u0000'],
    ['escape', 'Jan\u001b[31m'],
    ['tab', 'Jan\tPieter'],
    ['newline', 'Jan\nPieter'],
    ['C1 control', 'Jan\u0085'],
    ['line separator', 'Jan\u2028Pieter'],
  ])('rejects a %s in any text field', (_what, value) => {
    for (const field of ['first_name', 'prefix', 'last_name', 'team', 'email', 'employee_no', 'phone'] as const) {
      const input: WorkerInput = { ...base, [field]: value };
      const e = fieldError(() => validateWorker(input));
      expect(e.field, field).toBe(field);
    }
    const e = fieldError(() => validateWorker({ ...base, team: value }));
    expect(e.reason).toBe('contains control or invisible characters');
  });

  it('rejects invisible format characters (bidi isolates, soft hyphen, tags, …) in free-text fields too', () => {
    const invisible: [string, string][] = [
      ['U+2066 left-to-right isolate', '\u2066'],
      ['U+2067 right-to-left isolate', '\u2067'],
      ['U+2068 first strong isolate', '\u2068'],
      ['U+2069 pop directional isolate', '\u2069'],
      ['U+061C Arabic letter mark', '\u061c'],
      ['U+00AD soft hyphen', '\u00ad'],
      ['U+180E Mongolian vowel separator', '\u180e'],
      ['U+E0041 tag latin capital A', '\u{e0041}'],
    ];
    const accepted: string[] = [];
    for (const [what, ch] of invisible) {
      for (const [field, value] of [
        ['team', `Team${ch}Noord`],
        ['email', `s.wal${ch}@example.org`],
      ] as const) {
        try {
          validateWorker({ ...base, [field]: value });
          accepted.push(`${what} in ${field}`);
        } catch (e) {
          expect(e).toBeInstanceOf(FieldError);
          expect((e as FieldError).field).toBe(field);
        }
      }
    }
    expect(accepted).toEqual([]);
  });
});

describe('initials', () => {
  it.each([
    ['Anne-Marie', 'A.M.'],
    ['IJsbrand', 'IJ.'],
    ['ijsbrand', 'IJ.'],
    ['Jan Pieter', 'J.P.'],
    ['Özlem', 'Ö.'],
    ['Sanne', 'S.'],
    ['jan  pieter', 'J.P.'],
    ['Marie-José Anne', 'M.J.A.'],
    ['ölçer', 'Ö.'],
  ])('deriveInitials(%j) = %j', (first, initials) => {
    expect(deriveInitials(first)).toBe(initials);
  });

  it('derives initials when none are given', () => {
    expect(validateWorker({ first_name: 'Anne-Marie', last_name: 'Hoogland' }).initials).toBe('A.M.');
    expect(validateWorker({ first_name: 'IJsbrand', prefix: 'de', last_name: 'Vries' }).initials).toBe('IJ.');
  });

  it.each([
    ['pj', 'P.J.'],
    ['PJ', 'P.J.'],
    ['P. J.', 'P.J.'],
    ['p.j.', 'P.J.'],
    ['P.J', 'P.J.'],
    ['p j', 'P.J.'],
    ['IJ.', 'IJ.'],
    ['IJ.P.', 'IJ.P.'],
    ['ö.', 'Ö.'],
  ])('explicit initials %j become %j', (given, expected) => {
    expect(validateWorker({ ...base, initials: given }).initials).toBe(expected);
  });

  it.each(['P1', 'P-J', 'P,J', "P'J"])('rejects the initials %j', (given) => {
    expect(fieldError(() => validateWorker({ ...base, initials: given })).field).toBe('initials');
  });
});

describe('e-mail', () => {
  it.each(['s.wal@example.org', 'Sanne.Wal@Example.ORG', 'a+b@sub.example.nl', 'k.ozdemir@jb-voorbeeld.nl'])('accepts %s', (email) => {
    expect(validateWorker({ ...base, email }).email).toBe(email);
  });

  it('trims the address', () => {
    expect(validateWorker({ ...base, email: '  s.wal@example.org ' }).email).toBe('s.wal@example.org');
  });

  it.each(['s.wal', 's.wal@', '@example.org', 's.wal@example', 's.wal@example.o', 's wal@example.org', 's..wal@example.org', 's.wal@@example.org', 's.wal@example..org'])(
    'rejects %j',
    (email) => {
      const e = fieldError(() => validateWorker({ ...base, email }));
      expect(e.field).toBe('email');
      expect(e.reason).toBe('is not a valid e-mail address');
    },
  );

  it('canonicalEmail lower-cases and trims', () => {
    expect(canonicalEmail(' Sanne.Wal@Example.ORG ')).toBe('sanne.wal@example.org');
  });
});

describe('phone', () => {
  it.each([
    ['06-41234567', '+31641234567'],
    ['0641234567', '+31641234567'],
    ['+31 6 4123 4567', '+31641234567'],
    ['0031 6 41234567', '+31641234567'],
    ['06 - 41 23 45 67', '+31641234567'],
    ['020-1234567', '+31201234567'],
    ['0031 20 1234567', '+31201234567'],
    ['(020) 123 45 67', '+31201234567'],
    ['+32 2 123 45 67', '+3221234567'],
  ])('accepts %j, canonical %s', (phone, canonical) => {
    expect(validateWorker({ ...base, phone }).phone).toBe(phone);
    expect(canonicalPhone(phone)).toBe(canonical);
  });

  it('reduces the international "+31 (0)" notation to E.164 as well', () => {
    // Common on Dutch letterheads and e-mail signatures.
    expect(canonicalPhone('+31 (0)6 41234567')).toBe('+31641234567');
    expect(canonicalPhone('+31 (0)20 1234567')).toBe('+31201234567');
  });

  it.each([
    ['06-123', 'does not have 9 to 15 digits'],
    ['0123456', 'does not have 9 to 15 digits'],
    ['641234567', 'must start with 0, 00 or + (a spreadsheet may have dropped the leading 0)'],
    ['31 6 41234567', 'must start with 0, 00 or + (a spreadsheet may have dropped the leading 0)'],
    ['(6) 41234567', 'must start with 0, 00 or + (a spreadsheet may have dropped the leading 0)'],
    ['+31 6 4123 4567 8901 234', 'does not have 9 to 15 digits'],
    ['06-abcdefgh', 'may only contain digits, spaces, dashes, brackets and a leading +'],
    ['zes nul', 'may only contain digits, spaces, dashes, brackets and a leading +'],
    ['06+41234567', 'may only contain digits, spaces, dashes, brackets and a leading +'],
    ['++31641234567', 'may only contain digits, spaces, dashes, brackets and a leading +'],
  ])('rejects %j', (phone, reason) => {
    const e = fieldError(() => validateWorker({ ...base, phone }));
    expect(e.field).toBe('phone');
    expect(e.reason).toBe(reason);
  });
});

describe('personnel number', () => {
  it.each(['P-10231', 'p-10 231', '10231', 'HR/2024.17', 'A1'])('accepts %j', (no) => {
    expect(validateWorker({ ...base, employee_no: no }).employee_no).toBe(no);
  });

  it.each(['-10231', 'P#10231', 'P_1', ' / ', '€10'])('rejects %j', (no) => {
    expect(fieldError(() => validateWorker({ ...base, employee_no: no })).field).toBe('employee_no');
  });

  it.each([
    ['p-10 231', 'P10231'],
    ['P10231', 'P10231'],
    ['p.10.231', 'P10231'],
    ['hr/2024-17', 'HR202417'],
  ])('canonicalEmployeeNo(%j) = %s', (no, canonical) => {
    expect(canonicalEmployeeNo(no)).toBe(canonical);
  });
});

describe('FieldError never echoes the value', () => {
  // Every message validateWorker can produce: an input that is a substring of
  // one of these cannot be told apart from the message text itself.
  const reasons = [
    'is required',
    'contains control or invisible characters',
    'is longer than 100 characters',
    'may only contain letters, spaces, apostrophes, dots and hyphens',
    'may only contain letters and dots',
    'is not a valid e-mail address',
    'may only contain digits, spaces, dashes, brackets and a leading +',
    'does not have 9 to 15 digits',
    'must start with 0, 00 or + (a spreadsheet may have dropped the leading 0)',
    'may only contain letters, digits, spaces, dots, dashes and slashes',
  ];
  const messages = WORKER_FIELDS.flatMap((f) => reasons.map((r) => `${f} ${r}`));
  const echoes = (message: string, value: string): boolean => {
    const candidates = new Set([value, value.trim(), value.normalize('NFC').trim()]);
    return [...candidates].some((v) => v.length > 0 && message.includes(v));
  };

  const arbitraryValue = fc.oneof(
    fc.string({ minLength: 1, maxLength: 30 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }),
    fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([a, b]) => `${a}@${b}`),
    fc.stringMatching(/^[0-9 +\-a-z]{1,20}$/u),
    fc.constantFrom('Jan3', 'Sanne\u200bWal', 's.wal@example', '06-123', 'P#10231', "'t", 'x'.repeat(101)),
  );

  it('for random invalid input in any field, the message names the field and not the value', () => {
    let failures = 0;
    fc.assert(
      fc.property(fc.constantFrom<WorkerField>(...WORKER_FIELDS), arbitraryValue, (field, value) => {
        fc.pre(!messages.some((m) => m.includes(value.trim())));
        let err: unknown;
        try {
          validateWorker({ ...base, [field]: value });
        } catch (e) {
          err = e;
        }
        if (err === undefined) return;
        expect(err).toBeInstanceOf(FieldError);
        failures++;
        const e = err as FieldError;
        expect(e.message.startsWith(`${e.field} `)).toBe(true);
        expect(echoes(e.message, value)).toBe(false);
        expect(echoes(e.reason, value)).toBe(false);
      }),
      { numRuns: 1000 },
    );
    // the property is only meaningful if a good share of inputs was rejected
    expect(failures).toBeGreaterThan(200);
  });
});

describe('applyWorkerUpdate', () => {
  const current: WorkerRecord = validateWorker({
    first_name: 'Jan',
    prefix: 'van der',
    last_name: 'Berg',
    email: 'j.vanderberg@example.org',
    phone: '06-41234567',
    employee_no: 'P-10231',
    team: 'Team Noord',
  });

  it('leaves fields that were not given unchanged', () => {
    expect(applyWorkerUpdate(current, { team: 'Team Zuid' })).toEqual({ ...current, team: 'Team Zuid' });
    expect(applyWorkerUpdate(current, {})).toEqual(current);
    expect(applyWorkerUpdate(current, { email: undefined })).toEqual(current);
  });

  it('clears an optional field given as ""', () => {
    const w = applyWorkerUpdate(current, { phone: '', prefix: '', team: '' });
    expect(w.phone).toBe('');
    expect(w.prefix).toBe('');
    expect(w.team).toBe('');
    expect(w.email).toBe(current.email);
  });

  it('refuses to clear a required field', () => {
    expect(fieldError(() => applyWorkerUpdate(current, { first_name: '' })).field).toBe('first_name');
    expect(fieldError(() => applyWorkerUpdate(current, { last_name: ' ' })).field).toBe('last_name');
  });

  it('validates the new values', () => {
    expect(fieldError(() => applyWorkerUpdate(current, { email: 'kapot' })).field).toBe('email');
  });

  it('re-derives derived initials when the first name changes', () => {
    expect(current.initials).toBe('J.');
    const w = applyWorkerUpdate(current, { first_name: 'Anne-Marie' });
    expect(w.first_name).toBe('Anne-Marie');
    expect(w.initials).toBe('A.M.');
  });

  it('keeps explicitly given initials when the first name changes', () => {
    const explicit = validateWorker({ first_name: 'Jan', last_name: 'Berg', initials: 'J.W.' });
    expect(applyWorkerUpdate(explicit, { first_name: 'Johannes' }).initials).toBe('J.W.');
  });

  it('uses initials given together with a new first name', () => {
    expect(applyWorkerUpdate(current, { first_name: 'Pieter', initials: 'pj' }).initials).toBe('P.J.');
  });

  it('re-derives initials when they are cleared', () => {
    const explicit = validateWorker({ first_name: 'Jan Pieter', last_name: 'Berg', initials: 'J.' });
    expect(applyWorkerUpdate(explicit, { initials: '' }).initials).toBe('J.P.');
  });
});

describe('duration', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1h30m', 5_400_000],
    ['1h30m15s', 5_415_000],
    [' 2H ', 7_200_000],
    ['12h', 43_200_000],
    ['0h5m', 300_000],
  ])('parseDuration(%j) = %d', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '15', 'm', '0s', '0m0s', '1.5h', '-5m', '15 m', '15min', '1d', 'h1', 'soon', '15m!'])('parseDuration(%j) is undefined', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [60_000, '1 minute'],
    [90_000, '2 minutes'],
    [900_000, '15 minutes'],
    [3_540_000, '59 minutes'],
    [3_600_000, '1 hour'],
    [7_200_000, '2 hours'],
    [5_400_000, '1h30m'],
    [43_200_000, '12 hours'],
  ])('formatDuration(%d) = %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('formats any whole number of minutes so that it parses back (hours form)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 60, max: 24 * 60 }), (minutes) => {
        const text = formatDuration(minutes * 60_000);
        const m = /^(\d+)h(\d+)m$/u.exec(text) ?? /^(\d+) hours?$/u.exec(text);
        expect(m).not.toBeNull();
        const back = parseDuration(text.replace(/ hours?$/u, 'h'));
        expect(back).toBe(minutes * 60_000);
      }),
    );
  });
});

describe('ids', () => {
  it('randomId maps bytes to the Crockford alphabet, deterministically', () => {
    expect(randomId('W', new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7]))).toBe('W-01234567');
    expect(randomId('W', new Uint8Array([8, 9, 10, 17, 18, 31, 32, 255]))).toBe('W-89ahjz0z');
    expect(randomId('D', new Uint8Array([27, 28, 29, 30, 31, 0, 0, 0]), 5)).toBe('D-vwxyz');
  });

  it('every id made from random bytes is a worker id (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: ID_RANDOM_BYTES, maxLength: ID_RANDOM_BYTES }), (bytes) => {
        const id = randomId('W', bytes);
        expect(id).toHaveLength(10);
        expect(isWorkerId(id)).toBe(true);
      }),
    );
  });

  it('different bytes give different ids (5 bits per character)', () => {
    expect(randomId('W', new Uint8Array(8).fill(1))).not.toBe(randomId('W', new Uint8Array(8).fill(2)));
  });

  it.each(['W-k3f9x2mq', 'W-00000000', 'W-zzzzzzzz'])('isWorkerId(%j) is true', (id) => {
    expect(isWorkerId(id)).toBe(true);
  });

  it.each(['W-K3F9X2MQ', 'W-k3f9x2m', 'W-k3f9x2mqq', 'W-k3f9x2mi', 'W-k3f9x2ml', 'W-k3f9x2mo', 'W-k3f9x2mu', 'D-k3f9x2mq', 'w-k3f9x2mq', ' W-k3f9x2mq', 'W-k3f9x2mq\n', 'Wk3f9x2mq', ''])(
    'isWorkerId(%j) is false',
    (id) => {
      expect(isWorkerId(id)).toBe(false);
    },
  );
});
