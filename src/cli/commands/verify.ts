import { ExitCode } from '../../errors.js';
import type { Ctx } from '../context.js';
import { openUnlocked } from '../credentials.js';
import { emit } from '../output.js';

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export async function verify(ctx: Ctx): Promise<number> {
  const vault = await openUnlocked(ctx);
  try {
    const report = vault.verify();
    emit(ctx, report, (r, s) =>
      r.ok
        ? `${s.green('ok')}: ${plural(r.checked.workers, 'worker')}, ${plural(r.checked.cases, 'case')}, ${plural(r.checked.pseudonyms, 'pseudonym')}, ${plural(r.checked.documents, 'document')}, ${plural(r.checked.audit_entries, 'audit entry', 'audit entries')} and ${plural(r.checked.keyslots, 'keyslot')} checked, no problems`
        : [`${s.red('problems found')}: ${r.problems.length}`, ...r.problems.map((p) => `  ${p}`)],
    );
    return report.ok ? ExitCode.ok : ExitCode.no;
  } finally {
    vault.close();
  }
}
