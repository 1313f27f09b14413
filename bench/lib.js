// Shared helpers for the benchmarks: timing and statistics, the machine
// header, a CLI runner in a throwaway sandbox, worker generation, results.
// Plain ESM; imports only node: modules and the built code in ../dist.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'schuilnaam.js');
export const RESULTS_DIR = path.join(ROOT, 'bench', 'results');
export const PASSPHRASE = 'kabouter plop eet stroopwafels';

export function ensureBuilt() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run "npm run bench" (it builds first) or "npm run build"');
  }
}

// --- statistics ---------------------------------------------------------

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function median(values) {
  return quantile(values, 0.5);
}

/** Summary of a list of times in ms: the median is the figure; min/max and quartiles show the spread. */
export function summary(values) {
  return {
    n: values.length,
    median: round(median(values)),
    p25: round(quantile(values, 0.25)),
    p75: round(quantile(values, 0.75)),
    min: round(Math.min(...values)),
    max: round(Math.max(...values)),
  };
}

export function round(x, digits = 3) {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function ms(x) {
  if (!Number.isFinite(x)) return String(x);
  if (x >= 10_000) return `${(x / 1000).toFixed(1)} s`;
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 100) return `${x.toFixed(0)} ms`;
  if (x >= 10) return `${x.toFixed(1)} ms`;
  return `${x.toFixed(2)} ms`;
}

/** "median 123 ms (min 110 ms, max 140 ms, n=9)" */
export function spread(s) {
  return `median ${ms(s.median)} (p25 ${ms(s.p25)}, p75 ${ms(s.p75)}, min ${ms(s.min)}, max ${ms(s.max)}, n=${s.n})`;
}

export function ratio(a, b) {
  return round(a / b, 3);
}

export function rate(count, millis) {
  return Math.round((count * 1000) / millis);
}

export function int(n) {
  return Math.round(n).toLocaleString('en-US');
}

export function now() {
  return performance.now();
}

export function timeSync(fn) {
  const t0 = performance.now();
  const value = fn();
  return { ms: performance.now() - t0, value };
}

export async function timeAsync(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

/**
 * Runs each named runner `reps` times, interleaved (A B C A B C …, with the
 * starting runner rotating each round) so drift and warm-up hit all alike.
 * Returns the times per name; a runner returns its own time in ms. `warmup`
 * untimed rounds go first (JIT, page cache, the first wasm memory growth).
 */
export async function interleaved(runners, reps, { warmup = 1 } = {}) {
  const names = Object.keys(runners);
  const out = Object.fromEntries(names.map((n) => [n, []]));
  for (let w = 0; w < warmup; w++) for (const name of names) await runners[name](-1 - w);
  for (let r = 0; r < reps; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      out[name].push(await runners[name](r));
    }
  }
  return out;
}

// --- machine and output -------------------------------------------------

function git(args) {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function packageVersion(name) {
  try {
    return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

export function machine() {
  const cpus = os.cpus();
  const dirtySrc = git(['status', '--porcelain', '--', 'src']);
  return {
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu_count: cpus.length,
    available_parallelism: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpu_model: cpus[0]?.model ?? 'unknown',
    memory_gib: round(os.totalmem() / 2 ** 30, 1),
    tmpdir: os.tmpdir(),
    load_average_1_5_15: os.loadavg().map((x) => round(x, 2)),
    schuilnaam: JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version,
    commit: git(['rev-parse', '--short', 'HEAD']) ?? 'unknown',
    src_uncommitted_changes: dirtySrc === undefined ? 'unknown' : dirtySrc !== '',
    'better-sqlite3': packageVersion('better-sqlite3'),
    'libsodium-wrappers-sumo': packageVersion('libsodium-wrappers-sumo'),
  };
}

export function header(name, params, notes = []) {
  const m = machine();
  console.log(`\n=== bench ${name} ===`);
  console.log(
    `machine: node ${m.node}, ${m.cpu_count} CPUs (${m.cpu_model}), ${m.memory_gib} GiB, ${m.platform}; temp dir ${m.tmpdir}; ` +
      `load average ${m.load_average_1_5_15.join(' ')}`,
  );
  console.log(
    `code: schuilnaam ${m.schuilnaam} @ ${m.commit}${m.src_uncommitted_changes === true ? ' (src/ has uncommitted changes)' : ''}; ` +
      `better-sqlite3 ${m['better-sqlite3']}, libsodium-wrappers-sumo ${m['libsodium-wrappers-sumo']}`,
  );
  console.log(`parameters: ${Object.entries(params).map(([k, v]) => `${k}=${v}`).join(', ')}`);
  for (const n of notes) console.log(`note: ${n}`);
  return m;
}

export function section(title) {
  console.log(`\n--- ${title}`);
}

/** Prints aligned rows: [[label, value], …]. */
export function rows(list) {
  const w = Math.max(...list.map(([k]) => k.length));
  for (const [k, v] of list) console.log(`  ${k.padEnd(w)}  ${v}`);
}

export function writeResults(name, doc) {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  console.log(`\nresults written to ${path.relative(process.cwd(), file) || file}`);
  return file;
}

// --- temp dirs and the CLI ----------------------------------------------

const cleanups = new Set();

/** A temporary folder removed by cleanupAll() (run.js calls it on exit, also after a failure or Ctrl-C). */
export function tempDir(tag) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `schuilnaam-bench-${tag}-`));
  const rm = () => fs.rmSync(dir, { recursive: true, force: true });
  cleanups.add(rm);
  return { dir, remove: () => (cleanups.delete(rm), rm()) };
}

export function cleanupAll() {
  for (const rm of cleanups) {
    try {
      rm();
    } catch {
      /* best effort */
    }
  }
  cleanups.clear();
}

/**
 * A CLI sandbox like tests/helpers/cli.ts: its own HOME, runtime dir, vault
 * path and passphrase file; SCHUILNAAM_KDF_PROFILE=owasp-floor for vaults it creates.
 */
export function sandbox(tag, vaultName = 'vault.db') {
  const t = tempDir(tag);
  const dir = t.dir;
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  const vault = path.join(dir, vaultName);
  const passFile = path.join(dir, 'pass.txt');
  fs.writeFileSync(passFile, PASSPHRASE + '\n', { mode: 0o600 });
  const env = {
    HOME: home,
    XDG_RUNTIME_DIR: path.join(dir, 'run'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    SCHUILNAAM_VAULT: vault,
    SCHUILNAAM_KDF_PROFILE: 'owasp-floor',
    NO_COLOR: '1',
    PATH: process.env.PATH ?? '',
  };
  const sb = {
    dir,
    vault,
    passFile,
    env,
    /** Runs `node bin/schuilnaam.js …args`; returns { ms, stdout, stderr, status }; throws on a non-zero exit unless allowFail. */
    run(args, opts = {}) {
      return runNode([BIN, ...args], { env: { ...env, ...opts.env }, cwd: dir, allowFail: opts.allowFail, what: `schuilnaam ${args.join(' ')}` });
    },
    init() {
      sb.run(['init', '--passphrase-file', passFile]);
    },
    /** `unlock` with the passphrase file; sets SCHUILNAAM_SESSION for later runs. Returns the token. */
    unlock() {
      const r = sb.run(['unlock', '--ttl', '2h', '--passphrase-file', passFile]);
      const token = r.stdout.trim();
      if (!token) throw new Error('unlock printed no token');
      env.SCHUILNAAM_SESSION = token;
      return token;
    },
    remove: t.remove,
  };
  return sb;
}

/** Runs node with args, synchronously; the time includes process start and exit. */
export function runNode(args, { env, cwd, allowFail = false, what = `node ${args.join(' ')}` } = {}) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { env, cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = performance.now() - t0;
  if (r.error) throw r.error;
  if (r.status !== 0 && !allowFail) {
    throw new Error(`${what} exited with ${r.status ?? r.signal}:\n${r.stderr}`);
  }
  return { ms: elapsed, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** The process-start baselines: `schuilnaam --version` and a bare `node -e ""`. */
export function startRunners(sb) {
  return {
    version: () => sb.run(['--version']).ms,
    node: () => runNode(['-e', ''], { env: sb.env, cwd: sb.dir }).ms,
  };
}

// --- in-process vaults --------------------------------------------------

export async function deps(kdfProfile = 'owasp-floor') {
  const { systemRandom } = await import('../dist/crypto/random.js');
  return { clock: () => new Date(), random: systemRandom, kdfProfile };
}

/** Opens a vault file in-process and unlocks it with the bench passphrase. */
export async function openVault(file, kdfProfile = 'owasp-floor', passphrase = PASSPHRASE) {
  const { VaultFile } = await import('../dist/vault/vault.js');
  const vf = await VaultFile.open(file, await deps(kdfProfile));
  try {
    return vf.unlockWithPassphrase(Buffer.from(passphrase, 'utf8'));
  } catch (e) {
    vf.close();
    throw e;
  }
}

export async function createVault(file, kdfProfile = 'owasp-floor') {
  const m = await import('../dist/vault/vault.js');
  return m.createVault(file, Buffer.from(PASSPHRASE, 'utf8'), 'admin', await deps(kdfProfile));
}

// --- generated data -----------------------------------------------------

/** Small deterministic PRNG (mulberry32) for the shape of the data; keys and nonces stay system-random. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
    shuffle(list) {
      for (let i = list.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [list[i], list[j]] = [list[j], list[i]];
      }
      return list;
    },
  };
}

/** Common Dutch surnames (prefix, last name): real workers have some of these. */
export const REAL_SURNAMES = [
  ['de', 'Jong'], ['', 'Jansen'], ['de', 'Vries'], ['van den', 'Berg'], ['van', 'Dijk'], ['', 'Bakker'], ['', 'Janssen'],
  ['', 'Visser'], ['', 'Smit'], ['', 'Meijer'], ['de', 'Boer'], ['', 'Mulder'], ['de', 'Groot'], ['', 'Bos'], ['', 'Vos'],
  ['', 'Peters'], ['', 'Hendriks'], ['van', 'Leeuwen'], ['', 'Dekker'], ['', 'Brouwer'], ['de', 'Wit'], ['', 'Dijkstra'],
  ['', 'Smits'], ['de', 'Graaf'], ['van der', 'Meer'],
];

const FIRST_NAMES = [
  'Sanne', 'Koen', 'Fleur', 'Daan', 'Lotte', 'Bram', 'Anouk', 'Thijs', 'Eva', 'Joost', 'Noor', 'Ruben', 'Iris', 'Sem',
  'Femke', 'Lars', 'Maaike', 'Jeroen', 'Anne-Marie', 'IJsbrand', 'Fatima', 'Mehmet', 'Sophie', 'Pieter', 'Yara', 'Emre',
];

// Invented surnames from these syllables are very unlike the bundled pools,
// so the resemblance rule only removes the real surnames above.
const SYLLABLES = ['ka', 'lo', 'vre', 'min', 'dus', 'tor', 'bel', 'gra', 'nik', 'zo', 'ruf', 'mek', 'ster', 'wol', 'fin', 'dra', 'qua', 'xel'];
const TEAMS = ['Team Noord', 'Team Oost', 'Team Zuid', 'Team West', 'Team Centrum', 'Team Haven', 'Team Polder', 'Team Duin'];

export { TEAMS };

function inventedSurname(rnd) {
  const n = 2 + rnd.int(2);
  let s = '';
  for (let i = 0; i < n; i++) s += rnd.pick(SYLLABLES);
  return s[0].toUpperCase() + s.slice(1);
}

/**
 * `n` workers as import inputs: about `realShare` of them with a common Dutch
 * surname, the rest with invented ones; unique e-mail and personnel number.
 */
export function generateWorkers(n, { seed = 42, realShare = 0.15 } = {}) {
  const rnd = prng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const [prefix, last] = rnd.next() < realShare ? rnd.pick(REAL_SURNAMES) : ['', inventedSurname(rnd)];
    const first = rnd.pick(FIRST_NAMES);
    const local = `${first}.${prefix}${last}`.toLowerCase().replace(/[^a-z.]/g, '');
    out.push({
      first_name: first,
      prefix,
      last_name: last,
      initials: '',
      email: `${local}.${i}@jeugdzorg.example.org`,
      phone: `06-${String(10_000_000 + i).padStart(8, '0')}`,
      employee_no: `P${String(100_000 + i)}`,
      team: TEAMS[i % TEAMS.length],
    });
  }
  return out;
}

const CSV_COLUMNS = ['first_name', 'prefix', 'last_name', 'initials', 'email', 'phone', 'employee_no', 'team'];

function csvField(v) {
  return /[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function workersCsv(workers) {
  return [CSV_COLUMNS.join(','), ...workers.map((w) => CSV_COLUMNS.map((c) => csvField(w[c] ?? '')).join(','))].join('\n') + '\n';
}

export function importRows(workers) {
  return workers.map((input, i) => ({ line: i + 2, input }));
}

/**
 * How the workers' surnames meet the bundled surname pool under the
 * resemblance rule: distinct real surnames in the vault, and how much of the
 * pool (entries and draw weight) the rule removes.
 */
export async function surnameStats(workers) {
  const { surnameKeys } = await import('../dist/core/name-forms.js');
  const { loadNamePools } = await import('../dist/formats/name-lists.js');
  const pool = loadNamePools().surnames;
  const poolKeys = new Set();
  for (const e of pool.entries) for (const k of surnameKeys('', e.value)) poolKeys.add(k);
  const workerKeys = new Set();
  const distinct = new Set();
  const real = new Set();
  for (const w of workers) {
    const name = [w.prefix, w.last_name].filter(Boolean).join(' ');
    distinct.add(name);
    const keys = surnameKeys(w.prefix, w.last_name);
    for (const k of keys) workerKeys.add(k);
    if (keys.some((k) => poolKeys.has(k))) real.add(name);
  }
  let blocked = 0;
  let blockedWeight = 0;
  for (const e of pool.entries) {
    if (surnameKeys('', e.value).some((k) => workerKeys.has(k))) {
      blocked++;
      blockedWeight += e.weight;
    }
  }
  return {
    distinct_worker_surnames: distinct.size,
    distinct_real_surnames: real.size,
    real_surname_list_size: REAL_SURNAMES.length,
    pool_surnames: pool.entries.length,
    pool_surnames_blocked: blocked,
    pool_weight_blocked_pct: round((100 * blockedWeight) / pool.total, 2),
  };
}
