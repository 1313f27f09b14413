// The long date that letters carry ("25 november 2026"). The calendar day is
// the one in the Netherlands, not the machine's: a letter rendered at 00:30 in
// Amsterdam on a server running in UTC must not be dated yesterday.

export type Language = 'nl' | 'en';

const MONTHS: Record<Language, readonly string[]> = {
  // Dutch month names are written in lower case.
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

// Only numeric parts come from Intl, so the month names do not depend on which
// ICU locale data the Node binary was built with.
const AMSTERDAM = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Amsterdam',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/** Year, month (1–12) and day of `date` on the calendar in Amsterdam. */
export function amsterdamDay(date: Date): { year: number; month: number; day: number } {
  const parts = AMSTERDAM.formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

/** "25 november 2026" (nl) or "25 November 2026" (en). */
export function longDate(date: Date, language: Language): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('longDate: invalid date');
  const { year, month, day } = amsterdamDay(date);
  return `${day} ${MONTHS[language][month - 1]} ${year}`;
}
