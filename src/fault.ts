// Deterministic crash injection for the tests: with SCHUILNAAM_FAULT set to
// "<point>:<n>", the process kills itself with SIGKILL the n-th time (from 1)
// it reaches that point, so a test can stop a run at an exact moment instead
// of guessing with a timer. Unset (always, outside the tests), it does nothing.
// An environment variable can only make the process die, which anyone who
// can set it could do anyway.
//
// Points, in the order a document write reaches them (src/cli/write-output.ts):
//   staged      after file k is written under its temporary name (k = 1…N)
//   registered  after the commit that registers the documents as pending
//   placed      after file k is renamed into place (k = 1…N)
//   completed   after the commit that marks them complete
// in `init` (src/store/store.ts):
//   created     after the new vault is complete under its temporary name, before it is linked into place
// and in `worker import` (src/vault/workers.ts):
//   imported    after row k is written, inside the import's transaction
//   committed   after the import's transaction has committed
// and in `user remove` (src/vault/user-removal.ts, key-rotation.ts):
//   revoked     after the commit that shuts the user out, before any key is replaced
//   resealed    after record k is sealed again, inside the rotation's transaction
const spec = /^([a-z-]+):([1-9][0-9]*)$/u.exec(process.env.SCHUILNAAM_FAULT ?? '');
let reached = 0;

export type FaultPointName = 'staged' | 'registered' | 'placed' | 'completed' | 'imported' | 'committed' | 'created' | 'revoked' | 'resealed';

export function faultPoint(name: FaultPointName): void {
  if (!spec || spec[1] !== name) return;
  if (++reached !== Number(spec[2])) return;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL to oneself is delivered at once; never go on past this point.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}
