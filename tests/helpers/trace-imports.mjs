// Loaded with `node --import`: records every module URL the process resolves
// into the file named by TRACE_IMPORTS_FILE (used to keep start-up lean).
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
      import fs from 'node:fs';
      export async function resolve(specifier, context, next) {
        const r = await next(specifier, context);
        if (process.env.TRACE_IMPORTS_FILE) fs.appendFileSync(process.env.TRACE_IMPORTS_FILE, r.url + '\\n');
        return r;
      }
    `),
);
