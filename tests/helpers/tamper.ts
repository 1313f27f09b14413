// Opens a vault file the way an attacker without a key would: with the
// integrity triggers' functions defined by the attacker so that every stored
// digest stays exactly as it was (the strongest choice without the key:
// nothing a trigger records gives the change away; only recomputing does).
import Database from 'better-sqlite3';

export function openAsAttacker(file: string): Database.Database {
  const db = new Database(file, { fileMustExist: true });
  db.function('snm_row', { varargs: true }, () => Buffer.alloc(32));
  db.function('snm_add', (a: unknown, _b: unknown) => a);
  db.function('snm_sub', (a: unknown, _b: unknown) => a);
  return db;
}
