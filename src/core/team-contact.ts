// A team's functional contact details, the only ones a letter may carry:
// a shared phone number, a team mailbox and a postal address. Pure.
import { hasControlCharacters, tidy } from './text.js';
import { emailField, FieldError, phoneField } from './worker-fields.js';

export interface TeamContact {
  phone?: string;
  email?: string;
  address?: string;
}

export const CONTACT_FIELDS = ['phone', 'email', 'address'] as const;

const MAX_ADDRESS_LINES = 5;
const MAX_LINE = 100;

/**
 * Lines of a postal address: given with real line breaks, or with a typed
 * "\n" (easier on a command line); each line tidied.
 */
function address(raw: string): string {
  const lines = raw
    .replace(/\\n/gu, '\n')
    .split(/\r?\n/u)
    .map((l) => {
      if (hasControlCharacters(l)) throw new FieldError('address', 'contains control or invisible characters');
      return tidy(l);
    })
    .filter((l) => l !== '');
  if (lines.length === 0) return '';
  if (lines.length > MAX_ADDRESS_LINES) throw new FieldError('address', `has more than ${MAX_ADDRESS_LINES} lines`);
  if (lines.some((l) => [...l].length > MAX_LINE)) throw new FieldError('address', `has a line longer than ${MAX_LINE} characters`);
  return lines.join('\n');
}

/** Validates the given fields; an empty string clears a field. Throws FieldError. */
export function validateTeamContact(input: TeamContact): TeamContact {
  const out: TeamContact = {};
  if (input.phone !== undefined) out.phone = phoneField(input.phone);
  if (input.email !== undefined) out.email = emailField(input.email);
  if (input.address !== undefined) out.address = address(input.address);
  return out;
}
