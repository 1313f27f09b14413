import type { DocumentView } from '../../vault/documents.js';
import type { Ctx } from '../context.js';
import { withVault } from '../credentials.js';
import { emit, fields, table } from '../output.js';

function publicView(d: DocumentView) {
  return {
    id: d.id,
    kind: d.kind,
    case: d.case,
    worker: d.worker,
    template: d.template,
    format: d.format,
    path: d.path,
    sha256: d.sha256,
    pseudonyms: d.pseudonyms,
    created_at: d.created_at,
    reissue_of: d.reissue_of,
    state: d.state,
  };
}

export async function list(ctx: Ctx, _args: string[], opts: Record<string, unknown>): Promise<void> {
  const docs = await withVault(ctx, (v) => v.documents.list(opts.case === undefined ? undefined : String(opts.case)).map(publicView));
  emit(ctx, { documents: docs }, (d, s) =>
    d.documents.length === 0
      ? 'no documents registered'
      : table(['DOCUMENT', 'CASE', 'PSEUDONYMS', 'CREATED', 'STATE', 'PATH'], d.documents.map((x) => [x.id, x.case, x.pseudonyms.join(', '), x.created_at.slice(0, 16).replace('T', ' '), x.state, x.path]), s),
  );
}

export async function show(ctx: Ctx, args: string[]): Promise<void> {
  const doc = await withVault(ctx, (v) => publicView(v.documents.get(args[0]!)));
  emit(ctx, doc, (d, s) =>
    fields(
      [
        ['document', d.id],
        ['kind', d.kind],
        ['case', d.case],
        ['worker', d.worker],
        ['template', d.template],
        ['format', d.format],
        ['path', d.path],
        ['sha256', d.sha256],
        ['pseudonyms', d.pseudonyms.join(', ')],
        ['created', d.created_at],
        ['reissue of', d.reissue_of],
        ['state', d.state === 'pending' ? 'pending (its run was interrupted: the file may or may not have been written)' : d.state],
      ],
      s,
    ),
  );
}
