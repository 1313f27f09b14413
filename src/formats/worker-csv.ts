// HR exports as CSV: UTF-8 with or without BOM, "," or ";" separated, quoted
// fields, a header row naming the columns in any order.
import { parse } from 'csv-parse/sync';
import { WORKER_FIELDS, type WorkerField, type WorkerInput } from '../core/worker-fields.js';
import { UsageError } from '../errors.js';
import type { ImportRow } from '../vault/workers.js';

const COLUMN_HINT = `columns: ${WORKER_FIELDS.join(',')} (first_name and last_name are required)`;

/** The separator used in the header line: whichever of ";" and "," occurs more often outside quotes. */
export function detectDelimiter(text: string): ';' | ',' {
  const header = (text.replace(/^\ufeff/u, '').split(/\r?\n/u)[0] ?? '').replace(/"[^"]*"/gu, '');
  const semicolons = header.split(';').length - 1;
  const commas = header.split(',').length - 1;
  return semicolons > commas ? ';' : ',';
}

const HEADER_ALIASES: Record<string, string> = { e_mail: 'email', mail: 'email', phone_number: 'phone', personnel_no: 'employee_no', personnel_number: 'employee_no' };

function normaliseHeader(h: string): string {
  const key = h.trim().toLowerCase().replace(/[\s-]+/gu, '_');
  return HEADER_ALIASES[key] ?? key;
}

export function parseWorkerCsv(text: string): ImportRow[] {
  if (text.replace(/^\ufeff/u, '').trim() === '') throw new UsageError('the CSV file is empty', COLUMN_HINT);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // A line of only spaces is blank, not a one-field row.
    records = parse(text.replace(/^[ \t]+$/gmu, ''), {
      bom: true,
      delimiter: detectDelimiter(text),
      info: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    const err = e as { code?: string; lines?: number; message?: string };
    const line = err.lines ? `line ${err.lines}: ` : '';
    const reason =
      err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
        ? 'the row has a different number of fields than the header'
        : err.code === 'CSV_QUOTE_NOT_CLOSED'
          ? 'a quoted field is not closed'
          : err.code === 'CSV_INVALID_CLOSING_QUOTE' || err.code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
            ? 'a quote in the middle of a field (quote the whole field and double the inner quote)'
            : 'the file is not valid CSV';
    throw new UsageError(`${line}${reason}`, 'nothing was imported');
  }
  const [header, ...rows] = records;
  if (!header) throw new UsageError('the CSV file is empty', COLUMN_HINT);
  const columns = header.record.map(normaliseHeader);
  const known = new Set<string>(WORKER_FIELDS);
  // Name the position, not the text: without a header row, the "column name" is someone's data.
  const unknown = columns.findIndex((c) => !known.has(c));
  if (unknown >= 0) {
    throw new UsageError(`line ${header.info.lines}: column ${unknown + 1} has an unknown name`, `is the header row missing? ${COLUMN_HINT}`);
  }
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup) throw new UsageError(`line ${header.info.lines}: column "${dup}" appears twice`, COLUMN_HINT);
  for (const required of ['first_name', 'last_name']) {
    if (!columns.includes(required)) throw new UsageError(`the CSV file has no ${required} column`, COLUMN_HINT);
  }
  if (rows.length === 0) throw new UsageError('the CSV file has a header but no rows');
  return rows.map(({ record, info }) => {
    const input: WorkerInput = {};
    columns.forEach((c, i) => (input[c as WorkerField] = record[i]));
    // info.lines is where the row ends; a quoted line break makes it start earlier.
    const embedded = record.reduce((n, field) => n + (field.match(/\n/gu)?.length ?? 0), 0);
    return { line: info.lines - embedded, input };
  });
}
