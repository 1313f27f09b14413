// Validation of case-facing inputs. Pure.
import { hasControlCharacters, tidy } from './text.js';

export type Risk = 'normal' | 'high';
export type Scope = 'case' | 'worker';

export function validateCaseReference(raw: string): string | undefined {
  const ref = tidy(raw);
  if (ref === '' || hasControlCharacters(raw) || [...ref].length > 64) return undefined;
  return /^[\p{L}\p{N}][\p{L}\p{N} ._/#-]*$/u.test(ref) ? ref : undefined;
}

/** The form under which case references are compared: "jb 2024/17" = "JB 2024/17". */
export function caseReferenceKey(ref: string): string {
  return tidy(ref).toUpperCase();
}

export function validateTeamName(raw: string): string | undefined {
  const name = tidy(raw);
  if (name === '' || hasControlCharacters(raw) || [...name].length > 100) return undefined;
  return name;
}

export function teamKey(name: string): string {
  return tidy(name).toLowerCase();
}

export function isRisk(text: string): text is Risk {
  return text === 'normal' || text === 'high';
}

export function isScope(text: string): text is Scope {
  return text === 'case' || text === 'worker';
}
