// Progress bars on stderr, only when a person is watching (stderr a TTY, no
// --json): stdout stays clean for scripts. cli-progress is loaded on demand.
import type { SingleBar } from 'cli-progress';
import type { Ctx } from './context.js';

/** A bar in `format` (cli-progress tokens), not started; undefined when nobody is watching. */
export async function progressBar(ctx: Ctx, format: string): Promise<SingleBar | undefined> {
  if (!ctx.term.stderrIsTTY || ctx.json) return undefined;
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  return new SingleBar({ format, stream: ctx.term.io.stderr as NodeJS.WriteStream, clearOnComplete: true, hideCursor: true }, Presets.shades_classic);
}
