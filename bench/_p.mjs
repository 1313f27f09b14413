import fs from 'node:fs'; import path from 'node:path';
import { generateWorkers, importRows, openVault, sandbox } from './lib.js';
const sb = sandbox('prof'); sb.init();
const workers = generateWorkers(5000, { seed: 11 });
const v = await openVault(sb.vault); v.workers.import(importRows(workers)); v.close();
const W = 'de het een en van in op te dat die is voor met niet aan er om ook als bij of uit maar brief gesprek bakker visser boer berg smit'.split(' ');
let t = ''; let i = 0; while (t.length < 10e6) { t += W[(i * 7919) % W.length] + ' '; if (i % 50 === 0) { const w = workers[i % 5000]; t += `${w.first_name} ${w.prefix ? w.prefix + ' ' : ''}${w.last_name}. `; } i++; }
fs.writeFileSync(path.join(sb.dir, 'c.txt'), t);
fs.writeFileSync('/tmp/prof-env.json', JSON.stringify({ env: sb.env, dir: sb.dir, pass: sb.passFile }));
