import fs from 'node:fs';
import path from 'node:path';
import { catalogEntry } from '../../core/template-catalog.js';
import { UsageError } from '../../errors.js';
import type { Ctx } from '../context.js';
import { emit, fields, table } from '../output.js';
import { checkNotThere } from '../write-output.js';

export async function list(ctx: Ctx): Promise<void> {
  const { builtinTemplates } = await import('../../formats/templates.js');
  const templates = builtinTemplates().map((e) => ({ name: e.name, language: e.language, kind: e.kind, description: e.description, values: Object.keys(e.values) }));
  emit(ctx, { templates }, (d, s) => table(['NAME', 'LANGUAGE', 'KIND', 'VALUES (--set)', 'DESCRIPTION'], d.templates.map((t) => [t.name, t.language, t.kind, t.values.join(', '), t.description]), s));
}

export async function show(ctx: Ctx, args: string[]): Promise<void> {
  const { builtinTemplates, builtinText } = await import('../../formats/templates.js');
  const entry = catalogEntry(builtinTemplates(), args[0]!);
  const text = builtinText(entry);
  emit(ctx, { ...entry, text }, (d, s) => [
    ...fields(
      [
        ['name', d.name],
        ['language', d.language],
        ['kind', d.kind],
        ['description', d.description],
        ['translation', d.translation],
      ],
      s,
    ),
    '',
    s.bold('values to give with --set:'),
    ...Object.entries(d.values).map(([k, what]) => `  ${k.padEnd(14)} ${what}`),
    '',
    s.bold('template:'),
    d.text.trimEnd(),
  ]);
}

export async function init(ctx: Ctx, args: string[], opts: Record<string, unknown>): Promise<void> {
  const { builtinTemplates, builtinText } = await import('../../formats/templates.js');
  const entry = catalogEntry(builtinTemplates(), args[0]!);
  const dir = args[1]!;
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true });
  else if (!fs.statSync(dir).isDirectory()) throw new UsageError(`${dir} is not a folder`);
  const out = path.join(dir, `${entry.name}.md`);
  checkNotThere(out, Boolean(opts.force));
  fs.writeFileSync(out, builtinText(entry), { mode: 0o644 });
  emit(ctx, { template: entry.name, path: out, language: entry.language, values: Object.keys(entry.values) }, (d) => [
    `copied ${d.template} to ${d.path}; adapt it to your house style, then:`,
    // A template file does not know its language: English dates need --lang en.
    `  schuilnaam render ${d.path}${d.language === 'en' ? ' --lang en' : ''} --case REF --worker ID --out ${d.language === 'en' ? 'letter' : 'brief'}.pdf${d.values.map((k) => ` --set ${k}=…`).join('')}`,
  ]);
}
