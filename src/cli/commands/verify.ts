import { ExitCode } from '../../errors.js';
import type { Ctx } from '../context.js';
import { openUnlocked } from '../credentials.js';
import { emit } from '../output.js';

export async function verify(ctx: Ctx): Promise<number> {
  const vault = await openUnlocked(ctx);
  try {
    const report = vault.verify();
    emit(ctx, report, (r, s) =>
      r.ok
        ? `${s.green('ok')}: ${r.checked.workers} worker record${r.checked.workers === 1 ? '' : 's'} and ${r.checked.keyslots} keyslot${r.checked.keyslots === 1 ? '' : 's'} checked, no problems`
        : [`${s.red('problems found')}: ${r.problems.length}`, ...r.problems.map((p) => `  ${p}`)],
    );
    return report.ok ? ExitCode.ok : ExitCode.no;
  } finally {
    vault.close();
  }
}
