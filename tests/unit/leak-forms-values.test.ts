// Exact behaviour of the two pure halves of the leak index: every spelling of
// a worker's identity (leak-forms.ts) and the e-mail/phone/personnel-number
// finder in running text (leak-values.ts). Lists are compared whole, so a
// form or candidate too many is as much a failure as one too few. Every
// function is called inside a test (not while the file is collected), so that
// mutation testing sees which test covers which line. Invented people only.
import { describe, expect, it } from 'vitest';
import { GLUED_HIGH_LENGTH, pseudonymForms, workerForms, type LeakForm } from '../../src/core/leak-forms.js';
import { findValues, type ValueCandidate } from '../../src/core/leak-values.js';
import { validateWorker, type WorkerInput, type WorkerRecord } from '../../src/core/worker-fields.js';

// --- helpers -----------------------------------------------------------------

/** One form as a line: "full-name/high: de vries jan (reversed)". */
const line = (f: LeakForm) => `${f.kind}/${f.confidence}: ${f.tokens.join(' ')}${f.reversed ? ' (reversed)' : ''}`;
const lines = (forms: LeakForm[]) => forms.map(line).sort();
const formsOf = (input: WorkerInput) => workerForms(validateWorker(input));
/** The forms with exactly these tokens. */
const withTokens = (forms: LeakForm[], ...tokens: string[]) => forms.filter((f) => f.tokens.join(' ') === tokens.join(' ') && f.tokens.length === tokens.length);
const ofKind = (forms: LeakForm[], kind: LeakForm['kind']) => lines(forms.filter((f) => f.kind === kind));
/** Glued full names: one-token full-name forms. */
const glued = (forms: LeakForm[]) => lines(forms.filter((f) => f.kind === 'full-name' && f.tokens.length === 1));

type Cand = [kind: ValueCandidate['kind'], value: string, start: number, end: number];
const byPlace = (a: Cand, b: Cand) => a[2] - b[2] || a[3] - b[3] || a[0].localeCompare(b[0]) || a[1].localeCompare(b[1]);
/** Every candidate in the text, in text order. */
const values = (text: string): Cand[] => findValues(text).map((c): Cand => [c.kind, c.value, c.start, c.end]).sort(byPlace);
const ofValueKind = (text: string, kind: ValueCandidate['kind']) => values(text).filter((c) => c[0] === kind);

// --- leak-forms: whole lists ---------------------------------------------------

describe('workerForms: the complete list of forms', () => {
  it('double first name, "van der", double surname, e-mail, phone and personnel number', () => {
    const forms = formsOf({
      first_name: 'Anne-Marie', prefix: 'van der', last_name: 'Jansen-Smit', initials: 'A. M.',
      email: ' A.M.Jansen@Jeugdzorg-Oost.nl ', phone: '06-41234567', employee_no: 'p-10231',
    });
    expect(lines(forms)).toEqual([
      'email/high: a.m.jansen@jeugdzorg-oost.nl',
      'employee-no/high: P10231',
      'first-name/low: anne',
      'first-name/low: anne marie',
      'first-name/low: annemarie',
      'full-name/high: anne jansen smit',
      'full-name/high: anne marie jansen smit',
      'full-name/high: anne marie v d jansen smit',
      'full-name/high: anne marie van der jansen smit',
      'full-name/high: anne marie vd jansen smit',
      'full-name/high: anne v d jansen smit',
      'full-name/high: anne van der jansen smit',
      'full-name/high: anne vd jansen smit',
      'full-name/high: annejansensmit',
      'full-name/high: annemarie jansen smit',
      'full-name/high: annemarie v d jansen smit',
      'full-name/high: annemarie van der jansen smit',
      'full-name/high: annemarie vd jansen smit',
      'full-name/high: annemariejansensmit',
      'full-name/high: annemarievanderjansensmit',
      'full-name/high: annevanderjansensmit',
      'full-name/high: jansen smit anne (reversed)',
      'full-name/high: jansen smit anne marie (reversed)',
      'full-name/high: jansen smit anne marie van der (reversed)',
      'full-name/high: jansen smit anne van der (reversed)',
      'full-name/high: jansen smit annemarie (reversed)',
      'full-name/high: jansen smit annemarie van der (reversed)',
      'full-name/high: v d jansen smit anne (reversed)',
      'full-name/high: v d jansen smit anne marie (reversed)',
      'full-name/high: v d jansen smit annemarie (reversed)',
      'full-name/high: van der jansen smit anne (reversed)',
      'full-name/high: van der jansen smit anne marie (reversed)',
      'full-name/high: van der jansen smit annemarie (reversed)',
      'full-name/high: vd jansen smit anne (reversed)',
      'full-name/high: vd jansen smit anne marie (reversed)',
      'full-name/high: vd jansen smit annemarie (reversed)',
      'initials-name/high: a jansen smit',
      'initials-name/high: a m jansen smit',
      'initials-name/high: a m v d jansen smit',
      'initials-name/high: a m van der jansen smit',
      'initials-name/high: a m vd jansen smit',
      'initials-name/high: a v d jansen smit',
      'initials-name/high: a van der jansen smit',
      'initials-name/high: a vd jansen smit',
      'initials-name/high: am jansen smit',
      'initials-name/high: am v d jansen smit',
      'initials-name/high: am van der jansen smit',
      'initials-name/high: am vd jansen smit',
      'initials-name/high: jansen smit a (reversed)',
      'initials-name/high: jansen smit a m (reversed)',
      'initials-name/high: jansen smit a m van der (reversed)',
      'initials-name/high: jansen smit a van der (reversed)',
      'initials-name/high: jansen smit am (reversed)',
      'initials-name/high: jansen smit am van der (reversed)',
      'initials-name/high: v d jansen smit a (reversed)',
      'initials-name/high: v d jansen smit a m (reversed)',
      'initials-name/high: v d jansen smit am (reversed)',
      'initials-name/high: van der jansen smit a (reversed)',
      'initials-name/high: van der jansen smit a m (reversed)',
      'initials-name/high: van der jansen smit am (reversed)',
      'initials-name/high: vd jansen smit a (reversed)',
      'initials-name/high: vd jansen smit a m (reversed)',
      'initials-name/high: vd jansen smit am (reversed)',
      'phone/high: +31641234567',
      'surname/low: jansen',
      'surname/low: jansen smit',
      'surname/low: smit',
      'surname/low: v d jansen smit',
      'surname/low: van der jansen smit',
      'surname/low: vd jansen smit',
    ]);
  });

  it('one first name, no prefix, official initials that differ from the first name, no e-mail, phone or number', () => {
    // "Kees" is the name he goes by; his initials are those of "Cornelis Johannes".
    const forms = formsOf({ first_name: 'Kees', last_name: 'Boom', initials: 'C.J.' });
    expect(forms.map((f) => ({ ...f })).sort((a, b) => line(a).localeCompare(line(b)))).toStrictEqual([
      { kind: 'first-name', confidence: 'low', tokens: ['kees'] },
      { kind: 'full-name', confidence: 'high', tokens: ['boom', 'kees'], reversed: true },
      { kind: 'full-name', confidence: 'high', tokens: ['kees', 'boom'] },
      { kind: 'full-name', confidence: 'low', tokens: ['keesboom'] },
      { kind: 'initials-name', confidence: 'high', tokens: ['boom', 'c'], reversed: true },
      { kind: 'initials-name', confidence: 'high', tokens: ['boom', 'c', 'j'], reversed: true },
      { kind: 'initials-name', confidence: 'high', tokens: ['boom', 'cj'], reversed: true },
      { kind: 'initials-name', confidence: 'high', tokens: ['c', 'boom'] },
      { kind: 'initials-name', confidence: 'high', tokens: ['c', 'j', 'boom'] },
      { kind: 'initials-name', confidence: 'high', tokens: ['cj', 'boom'] },
      { kind: 'surname', confidence: 'low', tokens: ['boom'] },
    ]);
  });

  it('"de" (not abbreviated), a phone number written with (0), no e-mail or personnel number', () => {
    expect(lines(formsOf({ first_name: 'Jan', prefix: 'de', last_name: 'Vries', phone: '+31 (0)20 123 4567' }))).toEqual([
      'first-name/low: jan',
      'full-name/high: de vries jan (reversed)',
      'full-name/high: jan de vries',
      'full-name/high: jan vries',
      'full-name/high: jandevries',
      'full-name/high: vries jan (reversed)',
      'full-name/high: vries jan de (reversed)',
      'full-name/low: janvries',
      'initials-name/high: de vries j (reversed)',
      'initials-name/high: j de vries',
      'initials-name/high: j vries',
      'initials-name/high: vries j (reversed)',
      'initials-name/high: vries j de (reversed)',
      'phone/high: +31201234567',
      'surname/low: de vries',
      'surname/low: vries',
    ]);
  });

  it('an e-mail address alone and a personnel number alone', () => {
    const base = { first_name: 'Kees', last_name: 'Boom' };
    const plain = lines(formsOf(base));
    expect(lines(formsOf({ ...base, email: 'k.boom@team.jeugdzorg.nl' }))).toEqual(['email/high: k.boom@team.jeugdzorg.nl', ...plain].sort());
    expect(lines(formsOf({ ...base, employee_no: 'mk 88.321' }))).toEqual(['employee-no/high: MK88321', ...plain].sort());
    expect(lines(formsOf({ ...base, phone: '0031 6 41234567' }))).toEqual(['phone/high: +31641234567', ...plain].sort());
  });
});

// --- leak-forms: the parts ------------------------------------------------------

describe('workerForms: prefixes', () => {
  const surnames = (prefix: string) => ofKind(formsOf({ first_name: 'Eva', prefix, last_name: 'Berg' }), 'surname');

  it('"van der", "van den" and "van de" are also written "v.d." and "vd"', () => {
    for (const [prefix, tokens] of [['van der', 'van der'], ['Van den', 'van den'], ['van de', 'van de']] as const) {
      expect(surnames(prefix), prefix).toEqual([`surname/low: berg`, `surname/low: v d berg`, `surname/low: ${tokens} berg`, `surname/low: vd berg`].sort());
    }
  });

  it('other prefixes are not abbreviated', () => {
    expect(surnames('de')).toEqual(['surname/low: berg', 'surname/low: de berg']);
    expect(surnames('van')).toEqual(['surname/low: berg', 'surname/low: van berg']);
    expect(surnames("van 't")).toEqual(['surname/low: berg', 'surname/low: van t berg']);
    expect(surnames('op de')).toEqual(['surname/low: berg', 'surname/low: op de berg']);
    expect(surnames("in 't")).toEqual(['surname/low: berg', 'surname/low: in t berg']);
    expect(surnames("van de l'")).toEqual(['surname/low: berg', 'surname/low: van de l berg']);
    expect(surnames('')).toEqual(['surname/low: berg']);
  });

  it('the prefix goes after the first name or initials when the surname comes first ("Berg, Eva van der")', () => {
    const forms = formsOf({ first_name: 'Eva', prefix: 'van der', last_name: 'Berg' });
    expect(lines(forms.filter((f) => f.reversed && f.tokens[0] === 'berg'))).toEqual([
      'full-name/high: berg eva (reversed)',
      'full-name/high: berg eva van der (reversed)',
      'initials-name/high: berg e (reversed)',
      'initials-name/high: berg e van der (reversed)',
    ]);
  });
});

describe('workerForms: initials', () => {
  it('explicit initials are used as given, with or without dots and spaces', () => {
    const want = ofKind(formsOf({ first_name: 'Kees', last_name: 'Boom', initials: 'C.J.' }), 'initials-name');
    for (const initials of ['CJ', 'c.j.', 'C. J.', 'C J']) {
      expect(ofKind(formsOf({ first_name: 'Kees', last_name: 'Boom', initials }), 'initials-name'), initials).toEqual(want);
    }
  });

  it('one initial has no shorter or glued variant', () => {
    expect(ofKind(formsOf({ first_name: 'Kees', last_name: 'Boom' }), 'initials-name')).toEqual(['initials-name/high: boom k (reversed)', 'initials-name/high: k boom']);
  });

  it('a record without initials gets them from the first name', () => {
    const record: WorkerRecord = { ...validateWorker({ first_name: 'Pieter Jan', last_name: 'Berg' }), initials: '' };
    expect(ofKind(workerForms(record), 'initials-name')).toEqual([
      'initials-name/high: berg p (reversed)',
      'initials-name/high: berg p j (reversed)',
      'initials-name/high: berg pj (reversed)',
      'initials-name/high: p berg',
      'initials-name/high: p j berg',
      'initials-name/high: pj berg',
    ]);
  });

  it('initials written with spaces stay separate initials (not closed up as a letter-spaced word)', () => {
    const record: WorkerRecord = { ...validateWorker({ first_name: 'Pieter', last_name: 'Berg' }), initials: 'P J K' };
    expect(ofKind(workerForms(record), 'initials-name')).toEqual([
      'initials-name/high: berg p (reversed)',
      'initials-name/high: berg p j k (reversed)',
      'initials-name/high: berg pjk (reversed)',
      'initials-name/high: p berg',
      'initials-name/high: p j k berg',
      'initials-name/high: pjk berg',
    ]);
  });
});

describe('workerForms: first names and surnames alone', () => {
  it('a double first name is also written as one word and as its first part', () => {
    expect(ofKind(formsOf({ first_name: 'Anne-Marie', last_name: 'Boom' }), 'first-name')).toEqual(['first-name/low: anne', 'first-name/low: anne marie', 'first-name/low: annemarie']);
    expect(ofKind(formsOf({ first_name: 'Anne', last_name: 'Boom' }), 'first-name')).toEqual(['first-name/low: anne']);
  });

  it('each part of a double surname is a surname of its own', () => {
    expect(ofKind(formsOf({ first_name: 'Sanne', last_name: 'Jansen-Smit' }), 'surname')).toEqual(['surname/low: jansen', 'surname/low: jansen smit', 'surname/low: smit']);
    expect(ofKind(formsOf({ first_name: 'Sanne', last_name: 'Jansen' }), 'surname')).toEqual(['surname/low: jansen']);
  });
});

describe('workerForms: glued full names around GLUED_HIGH_LENGTH', () => {
  it('is 9', () => {
    expect(GLUED_HIGH_LENGTH).toBe(9);
  });

  it('8 letters are low, 9 and 10 are high', () => {
    expect(glued(formsOf({ first_name: 'Kees', last_name: 'Boom' }))).toEqual(['full-name/low: keesboom']);
    expect(glued(formsOf({ first_name: 'Jan', last_name: 'Bakker' }))).toEqual(['full-name/high: janbakker']);
    expect(glued(formsOf({ first_name: 'Kees', last_name: 'Bakker' }))).toEqual(['full-name/high: keesbakker']);
  });

  it('with a prefix: with and without it; with a double first name: whole and its first part', () => {
    expect(glued(formsOf({ first_name: 'Jan', prefix: 'de', last_name: 'Vries' }))).toEqual(['full-name/high: jandevries', 'full-name/low: janvries']);
    expect(glued(formsOf({ first_name: 'Jan-Wim', last_name: 'Bos' }))).toEqual(['full-name/high: janwimbos', 'full-name/low: janbos']);
  });
});

describe('workerForms: one form per key (FormSet)', () => {
  it('a low form never replaces a high one with the same tokens ("D.E." written "DE" reads as the prefix "de")', () => {
    const forms = formsOf({ first_name: 'Dirk Evert', prefix: 'de', last_name: 'Vries' });
    expect(withTokens(forms, 'de', 'vries')).toStrictEqual([{ kind: 'initials-name', confidence: 'high', tokens: ['de', 'vries'] }]);
    expect(withTokens(forms, 'vries', 'de')).toStrictEqual([{ kind: 'initials-name', confidence: 'high', tokens: ['vries', 'de'], reversed: true }]);
    expect(ofKind(forms, 'surname')).toEqual(['surname/low: vries']);
  });

  it('of two forms of the same rank, the first one stays', () => {
    const forms = formsOf({ first_name: 'Frank', last_name: 'Jansen-Frank' });
    expect(withTokens(forms, 'frank')).toStrictEqual([{ kind: 'surname', confidence: 'low', tokens: ['frank'] }]);
    expect(ofKind(forms, 'first-name')).toEqual([]);
  });

  it('a personnel number is keyed apart from a name spelled the same (a script without case)', () => {
    const forms = formsOf({ first_name: 'Mei', last_name: '王', employee_no: '王' });
    expect(lines(withTokens(forms, '王'))).toEqual(['employee-no/high: 王', 'surname/low: 王']);
  });
  // A phone number's canonical form always starts with "+" (worker-fields.ts refuses
  // one without 0, 00 or +), which no name token or personnel number holds: the
  // kind in its key can never make a difference (listed in docs/testing.md).
});

describe('workerForms and pseudonymForms: no form with an empty token', () => {
  it('a stray combining mark between two names (an empty token) never ends up in a form', () => {
    const forms = formsOf({ first_name: 'Anne \u0301 Marie', last_name: 'Boom' });
    expect(forms.filter((f) => f.tokens.length === 0 || f.tokens.includes(''))).toEqual([]);
    expect(ofKind(forms, 'surname')).toEqual(['surname/low: boom']);
  });

  it('an empty formal name adds nothing', () => {
    expect(pseudonymForms('Maysa Mertens', '')).toStrictEqual([
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['maysa', 'mertens'] },
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['maysamertens'] },
    ]);
    expect(pseudonymForms('', '')).toStrictEqual([]);
  });
});

describe('pseudonymForms', () => {
  const sorted = (forms: LeakForm[]) => [...forms].sort((a, b) => line(a).localeCompare(line(b)));

  it('name, formal form and (from 9 letters) the glued name, all high', () => {
    expect(sorted(pseudonymForms('Eva Smits', 'E. Smits'))).toStrictEqual([
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['e', 'smits'] },
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['eva', 'smits'] },
    ]);
    expect(sorted(pseudonymForms('Eva Smeets', 'E. Smeets'))).toStrictEqual([
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['e', 'smeets'] },
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['eva', 'smeets'] },
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['evasmeets'] },
    ]);
    expect(sorted(pseudonymForms('Ilse Smeets', 'mevrouw I. Smeets'))).toStrictEqual([
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['ilse', 'smeets'] },
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['ilsesmeets'] },
      { kind: 'pseudonym-retired', confidence: 'high', tokens: ['mevrouw', 'i', 'smeets'] },
    ]);
  });
});

// --- leak-values ----------------------------------------------------------------

describe('findValues: nothing to find', () => {
  it('empty text and text without digits or "@"', () => {
    expect(findValues('')).toEqual([]);
    expect(findValues('Geen nummers of adressen hier.')).toEqual([]);
  });
});

describe('findValues: e-mail addresses', () => {
  it('a dotted local part and a domain of several labels, without the full stop after it', () => {
    expect(values('Mail j.devries@team.jeugdzorg-west.nl.')).toEqual([['email', 'j.devries@team.jeugdzorg-west.nl', 5, 37]]);
  });

  it('two addresses separated by a comma; stray "@"s', () => {
    expect(values('mail: piet.smit@x.nl,anna@y.org')).toEqual([
      ['email', 'piet.smit@x.nl', 6, 20],
      ['email', 'anna@y.org', 21, 31],
    ]);
    expect(values('@jan.nl of jan@x of jan@@x.nl')).toEqual([]);
    expect(values('a@b@c.nl')).toEqual([['email', 'b@c.nl', 2, 8]]);
  });

  it('a local part is read at most 100 characters back from its "@" (the longest address a worker record takes)', () => {
    expect(values(`${'a'.repeat(100)}@x.nl`)).toEqual([['email', `${'a'.repeat(100)}@x.nl`, 0, 105]]);
    expect(values(`${'a'.repeat(106)}@x.nl`)).toEqual([['email', `${'a'.repeat(100)}@x.nl`, 6, 111]]);
  });

  it('each "@" yields only the address around it, read from its own 100 characters back', () => {
    // An address after the first "@", read in full from the first one's window, is not taken.
    expect(values(`x@y.nl ${'b'.repeat(106)}@z.nl`)).toEqual([
      ['email', 'x@y.nl', 0, 6],
      ['email', `${'b'.repeat(100)}@z.nl`, 13, 118],
    ]);
    // The first address, cut off at the start of the second one's window, is not taken again.
    expect(values(`${'q'.repeat(20)}@x.nl ${'r'.repeat(86)}@y.nl`)).toEqual([
      ['email', `${'q'.repeat(20)}@x.nl`, 0, 25],
      ['email', `${'r'.repeat(86)}@y.nl`, 26, 117],
    ]);
    // An address that ends right at the next "@".
    expect(values(`${'q'.repeat(106)}@x.nl@y.nl`)).toEqual([['email', `${'q'.repeat(100)}@x.nl`, 6, 111]]);
  });

  it('a domain is read up to 255 characters after the "@"', () => {
    const text = `a@${'b'.repeat(252)}.nl`;
    expect(values(text)).toEqual([['email', text, 0, 257]]);
  });
});

describe('findValues: phone numbers', () => {
  const mobile = '+31641234567';

  it('every reading of a number with (0), with the country code as +31 or 0031', () => {
    expect(values('+31 (0)6 41234567')).toEqual([
      ['phone', mobile, 0, 17],
      ['employee-no', '31', 1, 3],
      ['employee-no', '0', 5, 6],
      ['employee-no', '6', 7, 8],
      ['employee-no', '641234567', 7, 17],
      ['employee-no', '41234567', 9, 17],
    ]);
    expect(ofValueKind('0031 6 41234567', 'phone')).toEqual([['phone', mobile, 0, 15]]);
    expect(ofValueKind('0031 (0)20 123 4567', 'phone')).toEqual([['phone', '+31201234567', 0, 19]]);
  });

  it('a bracket belongs to the number only when it closes inside it', () => {
    expect(values('Bel (06) 41234567.')).toEqual([
      ['phone', mobile, 4, 17],
      ['employee-no', '06', 5, 7],
      ['employee-no', '41234567', 9, 17],
    ]);
    expect(values('Bel (06 41234567 of mail')).toEqual([
      ['employee-no', '06', 5, 7],
      ['employee-no', '0641234567', 5, 16],
      ['phone', mobile, 5, 16],
      ['employee-no', '41234567', 8, 16],
    ]);
    // A bracket that closes later in the text, not in the number.
    expect(ofValueKind('Bel (06 41234567 (mobiel)', 'phone')).toEqual([['phone', mobile, 5, 16]]);
    expect(ofValueKind('(020 123 4567)', 'phone')).toEqual([['phone', '+31201234567', 1, 13]]);
    expect(ofValueKind('(020) 123 4567', 'phone')).toEqual([['phone', '+31201234567', 0, 14]]);
  });

  it('a Dutch number has exactly 9 digits after +31', () => {
    for (const text of ['06-4123456', '06-412345678', '+31 6 4123456', '+31 6 412345678', '0031 6 412345678']) {
      expect(ofValueKind(text, 'phone'), text).toEqual([]);
    }
  });

  it('a foreign number has 9 to 15 digits', () => {
    expect(ofValueKind('Nuuk +299 32 45 67', 'phone')).toEqual([['phone', '+299324567', 5, 18]]);
    expect(ofValueKind('+299 32 45 6', 'phone')).toEqual([]);
    expect(values('+123456789012345')).toEqual([
      ['phone', '+123456789012345', 0, 16],
      ['employee-no', '123456789012345', 1, 16],
    ]);
    expect(ofValueKind('+1234567890123456', 'phone')).toEqual([]);
    expect(values('+12345678901234567')).toEqual([['employee-no', '12345678901234567', 1, 18]]);
    expect(ofValueKind('00491234567890123', 'phone')).toEqual([['phone', '+491234567890123', 0, 17]]);
    expect(ofValueKind('+49 (0)30 1234 56789', 'phone')).toEqual([['phone', '+4930123456789', 0, 20]]);
  });

  it('a 15-digit foreign number written in groups with "00" and "(0)" in front is still read whole', () => {
    // 17 and 18 digits on paper, 15 after the "+": once missed, the reading stopped at 15 written digits.
    expect(ofValueKind('0049 1234 5678 9012 3', 'phone')).toContainEqual(['phone', '+491234567890123', 0, 21]);
    expect(ofValueKind('0049 (0)1234 5678 9012 3', 'phone')).toContainEqual(['phone', '+491234567890123', 0, 24]);
    expect(ofValueKind('+49 (0)1234 5678 9012 3', 'phone')).toContainEqual(['phone', '+491234567890123', 0, 23]);
  });

  it('several numbers and a date in one run of digit groups', () => {
    expect(values('12-03-2025 06-41234567 gebeld')).toEqual([
      ['employee-no', '12', 0, 2],
      ['employee-no', '1203', 0, 5],
      ['employee-no', '12032025', 0, 10],
      ['employee-no', '1203202506', 0, 13],
      ['employee-no', '03', 3, 5],
      ['employee-no', '032025', 3, 10],
      ['employee-no', '03202506', 3, 13],
      ['employee-no', '0320250641234567', 3, 22],
      ['employee-no', '2025', 6, 10],
      ['employee-no', '202506', 6, 13],
      ['employee-no', '20250641234567', 6, 22],
      ['employee-no', '06', 11, 13],
      ['employee-no', '0641234567', 11, 22],
      ['phone', mobile, 11, 22],
      ['employee-no', '41234567', 14, 22],
    ]);
    expect(ofValueKind('020-1234567 / 06-41234567', 'phone')).toEqual([
      ['phone', '+31201234567', 0, 11],
      ['phone', mobile, 14, 25],
    ]);
    expect(ofValueKind('06 4123 4567 of 06-7654 3210', 'phone')).toEqual([
      ['phone', mobile, 0, 12],
      ['phone', '+31676543210', 16, 28],
    ]);
  });

  it('a number is read from the start of a digit group, not from inside one', () => {
    expect(values('1230641234567')).toEqual([['employee-no', '1230641234567', 0, 13]]);
  });
});

describe('findValues: personnel numbers', () => {
  it('up to four letters just before, with or without a separator', () => {
    expect(values('P-10231')).toEqual([
      ['employee-no', 'P10231', 0, 7],
      ['employee-no', '10231', 2, 7],
    ]);
    expect(values('MK88321')).toEqual([
      ['employee-no', 'MK88321', 0, 7],
      ['employee-no', '88321', 2, 7],
    ]);
    expect(values('Nr. MK 88321')).toEqual([
      ['employee-no', 'MK88321', 4, 12],
      ['employee-no', '88321', 7, 12],
    ]);
    expect(values('AB/12 en 2019.0457')).toEqual([
      ['employee-no', 'AB12', 0, 5],
      ['employee-no', '12', 3, 5],
      ['employee-no', 'EN2019', 6, 13],
      ['employee-no', 'EN20190457', 6, 18],
      ['employee-no', '2019', 9, 13],
      ['employee-no', '20190457', 9, 18],
      ['employee-no', '0457', 14, 18],
    ]);
  });

  it('not five letters, nor the end of a longer word', () => {
    expect(values('pnr ABCDE 12345')).toEqual([['employee-no', '12345', 10, 15]]);
    expect(values('nummer 12345')).toEqual([['employee-no', '12345', 7, 12]]);
  });

  it('one to four digit groups, from each group', () => {
    expect(values('10 231')).toEqual([
      ['employee-no', '10', 0, 2],
      ['employee-no', '10231', 0, 6],
      ['employee-no', '231', 3, 6],
    ]);
    expect(values('10 20 30 40 50')).toEqual([
      ['employee-no', '10', 0, 2],
      ['employee-no', '1020', 0, 5],
      ['employee-no', '102030', 0, 8],
      ['employee-no', '10203040', 0, 11],
      ['employee-no', '20', 3, 5],
      ['employee-no', '2030', 3, 8],
      ['employee-no', '203040', 3, 11],
      ['employee-no', '20304050', 3, 14],
      ['employee-no', '30', 6, 8],
      ['employee-no', '3040', 6, 11],
      ['employee-no', '304050', 6, 14],
      ['employee-no', '40', 9, 11],
      ['employee-no', '4050', 9, 14],
      ['employee-no', '50', 12, 14],
    ]);
  });

  it('letters before a number are never a number on their own', () => {
    expect(values('PN 1 2')).toEqual([
      ['employee-no', 'PN1', 0, 4],
      ['employee-no', 'PN12', 0, 6],
      ['employee-no', '1', 3, 4],
      ['employee-no', '12', 3, 6],
      ['employee-no', '2', 5, 6],
    ]);
  });
});
