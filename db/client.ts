import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { databaseUrl } from "@/lib/env";
import * as schema from "./schema";

export type Db = PostgresJsDatabase<typeof schema>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Queries take either the pool or a transaction, so services can compose them inside one transaction. */
export type Executor = Db | Tx;

export interface Connection {
  db: Db;
  close: () => Promise<void>;
}

export function connect(url: string, options: { max?: number } = {}): Connection {
  const client = postgres(url, {
    max: options.max ?? 10,
    // Silence NOTICEs (e.g. "relation already exists, skipping") that would otherwise flood stdout.
    onnotice: () => {},
    connection: { application_name: "accord" },
  });
  return { db: drizzle(client, { schema, casing: "snake_case" }), close: () => client.end({ timeout: 5 }) };
}

// One pool per process; kept on globalThis so Next's dev reloads do not open a new pool each time.
const holder = globalThis as typeof globalThis & { __accordDb?: Connection };

export function db(): Db {
  holder.__accordDb ??= connect(databaseUrl());
  return holder.__accordDb.db;
}
