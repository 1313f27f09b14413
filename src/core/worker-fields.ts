// Validation and normalisation of a worker's identity fields. Pure: no I/O.
// Error messages name the field, never its value, so a real name or e-mail is
// never echoed to a terminal or log.
import { hasControlCharacters, tidy } from './text.js';

export const IDENTITY_FIELDS = ['first_name', 'prefix', 'last_name', 'initials', 'email', 'phone', 'employee_no'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
export const WORKER_FIELDS = [...IDENTITY_FIELDS, 'team'] as const;
export type WorkerField = (typeof WORKER_FIELDS)[number];

export type WorkerInput = Partial<Record<WorkerField, string | undefined>>;

/** A validated worker. Optional fields are '' when absent. */
export type WorkerRecord = Record<WorkerField, string>;

export class FieldError extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'FieldError';
  }
}

const MAX_LENGTH = 100;

function text(field: WorkerField, raw: string | undefined, required: boolean): string {
  const value = tidy(raw ?? '');
  if (value === '') {
    if (required) throw new FieldError(field, 'is required');
    return '';
  }
  if (hasControlCharacters(raw ?? '')) throw new FieldError(field, 'contains control or invisible characters');
  if ([...value].length > MAX_LENGTH) throw new FieldError(field, `is longer than ${MAX_LENGTH} characters`);
  return value;
}

function name(field: WorkerField, raw: string | undefined, required: boolean): string {
  const value = text(field, raw, required);
  // A prefix may start with an apostrophe: "'t", "'s".
  if (value !== '' && !/^['’]?[\p{L}\p{M}][\p{L}\p{M}'’ .-]*$/u.test(value)) {
    throw new FieldError(field, 'may only contain letters, spaces, apostrophes, dots and hyphens');
  }
  return value;
}

/**
 * Initials in the Dutch style: "Anne-Marie" -> "A.M.", "IJsbrand" -> "IJ.",
 * "Jan Pieter" -> "J.P.".
 */
export function deriveInitials(firstName: string): string {
  return tidy(firstName)
    .split(/[\s-]+/u)
    .filter((part) => part !== '')
    .map((part) => (/^ij/iu.test(part) ? 'IJ' : [...part][0]!.toLocaleUpperCase('nl')) + '.')
    .join('');
}

function initials(raw: string | undefined, firstName: string): string {
  const value = text('initials', raw, false);
  if (value === '') return deriveInitials(firstName);
  const letters = value.replace(/[.\s]+/gu, ' ').trim();
  if (!/^[\p{L} ]+$/u.test(letters)) throw new FieldError('initials', 'may only contain letters and dots');
  // "PJ", "p.j.", "P. J." all become "P.J."; "IJ" stays one initial when written with a dot after it.
  const parts = value.includes('.') || value.includes(' ') ? letters.split(' ') : [...letters];
  return parts.map((p) => p.toLocaleUpperCase('nl') + '.').join('');
}

export function canonicalEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A valid e-mail address as written, or '' (FieldError when invalid). */
export function emailField(raw: string | undefined): string {
  const value = text('email', raw, false);
  if (value === '') return '';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/u.test(value) || value.includes('..')) {
    throw new FieldError('email', 'is not a valid e-mail address');
  }
  return value;
}

/**
 * Phone numbers in every Dutch notation reduce to E.164 digits:
 * "06-41234567", "+31 6 4123 4567", "0031641234567" -> "+31641234567".
 */
export function canonicalPhone(phone: string): string {
  // "+31 (0)6 …": the (0) is the trunk prefix, dropped after a country code.
  const compact = phone.replace(/^(\+\d{1,3}|00\d{1,3})\s*\(0\)/u, '$1').replace(/[\s().\-/\u00a0]/gu, '');
  if (compact.startsWith('+')) return compact;
  if (compact.startsWith('00')) return '+' + compact.slice(2);
  if (compact.startsWith('0')) return '+31' + compact.slice(1);
  return compact;
}

/** A valid phone number as written, or '' (FieldError when invalid). */
export function phoneField(raw: string | undefined): string {
  const value = text('phone', raw, false);
  if (value === '') return '';
  if (!/^\+?\(?[0-9][0-9\s().\-/]*$/u.test(value)) throw new FieldError('phone', 'may only contain digits, spaces, dashes, brackets and a leading +');
  const canonical = canonicalPhone(value);
  // "641234567" (a spreadsheet dropped the 0) has no country: the scanner reads
  // numbers in documents as +31…, +49…, so it could never find this one.
  if (!canonical.startsWith('+')) throw new FieldError('phone', 'must start with 0, 00 or + (a spreadsheet may have dropped the leading 0)');
  const digits = canonical.slice(1);
  if (digits.length < 9 || digits.length > 15) throw new FieldError('phone', 'does not have 9 to 15 digits');
  return value;
}

export function canonicalEmployeeNo(no: string): string {
  return no.replace(/[\s.\-/]/gu, '').toUpperCase();
}

function employeeNo(raw: string | undefined): string {
  const value = text('employee_no', raw, false);
  if (value === '') return '';
  if (!/^[\p{L}\p{N}][\p{L}\p{N}\s.\-/]*$/u.test(value)) {
    throw new FieldError('employee_no', 'may only contain letters, digits, spaces, dots, dashes and slashes');
  }
  return value;
}

/** Validates and normalises a new worker. Throws FieldError naming the field. */
export function validateWorker(input: WorkerInput): WorkerRecord {
  const first = name('first_name', input.first_name, true);
  return {
    first_name: first,
    prefix: name('prefix', input.prefix, false),
    last_name: name('last_name', input.last_name, true),
    initials: initials(input.initials, first),
    email: emailField(input.email),
    phone: phoneField(input.phone),
    employee_no: employeeNo(input.employee_no),
    team: text('team', input.team, false),
  };
}

/** Applies an update; a field given as '' is cleared (required fields cannot be). */
export function applyWorkerUpdate(current: WorkerRecord, update: WorkerInput): WorkerRecord {
  const merged: WorkerInput = { ...current };
  for (const f of WORKER_FIELDS) if (update[f] !== undefined) merged[f] = update[f];
  // Initials follow a changed first name unless given explicitly.
  if (update.first_name !== undefined && update.initials === undefined) {
    const previousDerived = deriveInitials(current.first_name);
    if (current.initials === previousDerived) merged.initials = '';
  }
  return validateWorker(merged);
}

