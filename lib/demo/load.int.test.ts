import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrateDatabase } from "@/db/migrate";
import { createDatabase, dropDatabase } from "@/lib/testing/server";
import { copyRows } from "./copy";
import { COLUMNS, generateOrganisation, type TableName } from "./generate";
import { DatabaseNotEmptyError, loadOrganisation, type LoadCounts } from "./load";
import { DEMO_PEOPLE } from "./people";

// The admin URL comes from the integration global setup: TEST_DATABASE_URL when set, else the embedded server.
const adminUrl = inject("adminUrl");
const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const names = { main: `accord_gen_${suffix}`, failing: `accord_gen_fail_${suffix}` };
const NOW = new Date("2026-03-01T12:00:00Z");
const options = { seed: 42, now: NOW, scale: "demo" as const };
const TABLES = Object.keys(COLUMNS) as TableName[];

let url: string;
let sql: postgres.Sql;
let counts: LoadCounts;

async function tableCounts(client: postgres.Sql): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await client<{ n: number }[]>`select count(*)::int as n from ${client(table)}`;
    out[table] = row!.n;
  }
  return out;
}

beforeAll(async () => {
  url = await createDatabase(adminUrl, names.main);
  await migrateDatabase(url);
  sql = postgres(url, { max: 2, onnotice: () => {} });
  const progress: string[] = [];
  counts = await loadOrganisation(url, options, (table, _rows, p) => p.done && progress.push(table));
  expect(progress).toEqual(TABLES);
}, 120_000);

afterAll(async () => {
  await sql?.end();
  await dropDatabase(adminUrl, names.main);
  await dropDatabase(adminUrl, names.failing);
});

describe("loadOrganisation", () => {
  it("writes every generated row, and the returned counts match the database", async () => {
    const expected = Object.fromEntries(generateOrganisation(options).tables.map((t) => [t.table, [...t.rows()].length]));
    expect(counts).toEqual(expected);
    expect(await tableCounts(sql)).toEqual(counts);
    expect(counts.identities).toBe(345);
    expect(counts.grants).toBe(2_600);
    expect(counts.usage_events).toBe(4_000);
  });

  it("creates the demo people and their platform roles", async () => {
    const people = await sql<{ email: string; status: string; type: string }[]>`
      select email, status, type from identities where email in ${sql(DEMO_PEOPLE.map((p) => p.email))}`;
    expect(people).toHaveLength(DEMO_PEOPLE.length);
    for (const p of people) expect(p).toMatchObject({ status: "active", type: "employee" });
    const roles = await sql`select i.email, r.role from identity_roles r join identities i on i.id = r.identity_id order by r.role`;
    expect(roles.map((r) => [r.email, r.role])).toEqual([
      ["alex.admin@accord.example", "admin"],
      ["ada.auditor@accord.example", "auditor"],
    ]);
    const [maya] = await sql`select count(*)::int as n from identities r join identities m on m.id = r.manager_id where m.email = 'maya.manager@accord.example'`;
    expect(maya!.n).toBe(8);
  });

  it("contains the planted drift", async () => {
    const unapproved = await sql`
      select i.email, e.name from privileged_sessions s
      join identities i on i.id = s.identity_id join entitlements e on e.id = s.entitlement_id
      where s.grant_id is null and not exists (select 1 from grants g where g.identity_id = s.identity_id and g.entitlement_id = s.entitlement_id)`;
    expect(unapproved.map((r) => [r.email, r.name])).toContainEqual(["sam.ortiz@accord.example", "cluster-admin"]);

    const expiredLive = await sql`
      select i.email from grants g join identities i on i.id = g.identity_id
      where g.kind = 'time_bound' and g.status = 'active' and g.expires_at < ${NOW} and g.live_state = 'present'`;
    expect(expiredLive.map((r) => r.email)).toContain("kai.lund@accord.example");

    const leavers = await sql`
      select distinct i.email from grants g join identities i on i.id = g.identity_id where i.status = 'leaver' and g.status = 'active'`;
    expect(leavers.map((r) => r.email)).toContain("victor.hale@accord.example");

    const [orphans] = await sql`select count(*)::int as n from accounts where identity_id is null`;
    expect(orphans!.n).toBeGreaterThanOrEqual(5);

    const [nhi] = await sql`
      select count(*) filter (where n.owner_id is null)::int as ownerless, count(*) filter (where o.status = 'leaver')::int as leaver_owned
      from identities n left join identities o on o.id = n.owner_id where n.kind = 'non_human'`;
    expect(nhi).toMatchObject({ ownerless: 2, leaver_owned: 3 });

    const sod = await sql`
      select i.email from sod_rule_entitlements m
      join grants g on g.entitlement_id = m.entitlement_id and g.status = 'active'
      join identities i on i.id = g.identity_id
      group by m.rule_id, i.email having count(distinct g.entitlement_id) > 1`;
    expect(sod.map((r) => r.email)).toContain("priya.shah@accord.example");

    const unused = await sql`
      select i.email from grants g join entitlements e on e.id = g.entitlement_id join identities i on i.id = g.identity_id
      where g.status = 'active' and g.kind = 'standing' and e.privileged
        and not exists (select 1 from privileged_sessions s where s.grant_id = g.id and s.started_at > ${NOW}::timestamptz - interval '90 days')
        and not exists (select 1 from usage_events u where u.grant_id = g.id and u.occurred_at > ${NOW}::timestamptz - interval '90 days')`;
    expect(unused.map((r) => r.email)).toContain("dan.reyes@accord.example");

    const breakGlass = await sql`
      select i.email, a.incident_id from activations a join identities i on i.id = a.identity_id
      where a.break_glass and a.starts_at > ${NOW}::timestamptz - interval '3 days'`;
    expect(breakGlass.map((r) => [r.email, r.incident_id])).toContainEqual(["jo.kim@accord.example", "INC-4821"]);
  });

  it("refuses a second load and changes nothing", async () => {
    const before = await tableCounts(sql);
    await expect(loadOrganisation(url, { ...options, seed: 43 })).rejects.toBeInstanceOf(DatabaseNotEmptyError);
    expect(await tableCounts(sql)).toEqual(before);
  });

  it("leaves nothing behind when a load fails part-way", async () => {
    const failingUrl = await createDatabase(adminUrl, names.failing);
    await migrateDatabase(failingUrl);
    const failing = postgres(failingUrl, { max: 1, onnotice: () => {} });
    try {
      // The last table refuses its rows, after every other table has been written.
      await failing.unsafe(`
        create function refuse_usage() returns trigger language plpgsql as $$ begin raise exception 'usage_events refused by test'; end $$;
        create trigger refuse_usage before insert on usage_events for each row execute function refuse_usage();`);
      await expect(loadOrganisation(failingUrl, options)).rejects.toThrow(/usage_events refused by test/);
      const remaining = await tableCounts(failing);
      expect(Object.values(remaining).every((n) => n === 0)).toBe(true);
      const [stuck] = await failing`select count(*)::int as n from pg_stat_activity where datname = ${names.failing} and state like 'idle in transaction%'`;
      expect(stuck!.n).toBe(0);
    } finally {
      await failing.end();
    }
  });
});

describe("copyRows", () => {
  it("round-trips text that needs escaping, arrays, JSON, timestamps and nulls", async () => {
    await sql`create table copy_probe (id int primary key, t text, a text[], j jsonb, at timestamptz, b boolean, big bigint)`;
    const tricky = ["back\\slash", "tab\there", "new\nline", "carriage\rreturn", "\\N", "", "quote \"double\" 'single'", "unicode: ñ 中文 🚀", "{braces,comma}"];
    const rows = tricky.map((t, id) => ({
      id,
      t,
      a: [t, null, "x,y", "}{"],
      j: { text: t, nested: { list: [1, t] } },
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, id)),
      b: id % 2 === 0,
      big: 9_007_199_254_740_991n,
    }));
    rows.push({
      id: 99,
      t: null as unknown as string,
      a: [],
      j: null as unknown as { text: string; nested: { list: (string | number)[] } },
      at: null as unknown as Date,
      b: null as unknown as boolean,
      big: null as unknown as bigint,
    });
    const written = await copyRows(sql, "copy_probe", ["id", "t", "a", "j", "at", "b", "big"], rows, undefined, { rowsPerStatement: 4 });
    expect(written).toBe(rows.length);
    // array_to_json: postgres.js's array parser reads a NULL element back as the string "NULL".
    const back = await sql`select id, t, array_to_json(a) as a, j, at, b, big::text as big from copy_probe order by id`;
    for (const [k, row] of rows.entries()) {
      expect(back[k]).toMatchObject({
        id: row.id,
        t: row.t,
        a: row.a,
        j: row.j,
        at: row.at,
        b: row.b,
        big: row.big === null ? null : String(row.big),
      });
    }
  });
});
