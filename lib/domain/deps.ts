import type { Db } from "@/db/client";

/** What every domain service needs: the database and a clock tests can move. */
export interface Deps {
  db: Db;
  now: () => Date;
}

export function systemDeps(db: Db): Deps {
  return { db, now: () => new Date() };
}
