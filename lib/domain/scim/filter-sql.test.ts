import { PgDialect } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import { groupFilterContext, userFilterContext } from "@/db/queries/scim";
import { ScimError } from "./errors";
import { parseFilter } from "./filter-parse";
import { compileFilter } from "./filter-sql";

const dialect = new PgDialect({ casing: "snake_case" });
const toSql = (filter: string, ctx = userFilterContext) => dialect.sqlToQuery(compileFilter(parseFilter(filter), ctx));

function rejection(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error("expected a ScimError");
}

describe("SCIM filter -> SQL", () => {
  it("maps userName to the column, case-insensitively in both the attribute name and the value", () => {
    const { sql, params } = toSql('UserName eq "Bob"');
    expect(sql).toBe('lower("identities"."user_name") = lower($1::text)');
    expect(params).toEqual(["Bob"]);
  });

  it("escapes LIKE wildcards in co/sw/ew values", () => {
    const { sql, params } = toSql('displayName co "50%_off"');
    expect(sql).toBe('lower("identities"."display_name") like lower($1)');
    expect(params).toEqual(["%50\\%\\_off%"]);
    expect(toSql('userName sw "a"').params).toEqual(["a%"]);
    expect(toSql('userName ew "a"').params).toEqual(["%a"]);
  });

  it("reads active from the identity status, and ne/not as two-valued", () => {
    expect(toSql("active eq true").sql).toBe(`("identities"."status" <> 'leaver')`);
    expect(toSql("active ne true").sql).toBe(`("identities"."status" = 'leaver')`);
    expect(toSql('not (title eq "x")').sql).toBe('not coalesce(lower("identities"."title") = lower($1::text), false)');
    expect(toSql('title ne "x"').sql).toBe('not coalesce(lower("identities"."title") = lower($1::text), false)');
  });

  it("compares ids as UUIDs and never casts a non-UUID", () => {
    expect(toSql('id eq "6F9619FF-8B86-D011-B42D-00C04FC964FF"')).toMatchObject({ sql: '"identities"."id" = $1::uuid', params: ["6f9619ff-8b86-d011-b42d-00c04fc964ff"] });
    expect(toSql('id eq "nope"').sql).toBe("false");
    expect(toSql('id ne "nope"').sql).toBe("true");
  });

  it("reads unmapped attributes from the stored document, exactly when the schema says caseExact", () => {
    expect(toSql('externalId eq "A1"').sql).toBe('("identities"."scim_resource"->>$1::text) = $2::text');
    expect(toSql('name.FAMILYNAME eq "Smith"').sql).toBe('lower(("identities"."scim_resource"->$1::text->>$2::text)) = lower($3::text)');
    expect(toSql('name.FAMILYNAME eq "Smith"').params).toEqual(["name", "familyName", "Smith"]);
  });

  it("filters multi-valued attributes with EXISTS over jsonb elements", () => {
    const { sql, params } = toSql('emails[type eq "work" and value co "@corp"]');
    expect(sql).toContain("exists (select 1 from jsonb_array_elements(");
    expect(sql).toContain("lower((e.v->>$3::text)) = lower($4::text) and lower((e.v->>$5::text)) like lower($6)");
    expect(params).toEqual(["emails", "emails", "type", "work", "value", "%@corp%"]);
    expect(toSql('emails co "@corp"').params).toContain("value");
  });

  it("maps enterprise attributes with and without the schema URN", () => {
    const urn = toSql('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "R&D"');
    expect(urn.sql).toBe('lower("identities"."department") = lower($1::text)');
    expect(toSql('department eq "R&D"').sql).toBe(urn.sql);
  });

  it("compares dateTimes as timestamps and refuses substring operators on them", () => {
    expect(toSql('meta.created gt "2024-01-01T00:00:00Z"')).toMatchObject({ sql: '"identities"."created_at" > $1::timestamptz', params: ["2024-01-01T00:00:00.000Z"] });
    expect(rejection(() => toSql('meta.created co "2024"')).scimType).toBe("invalidFilter");
    expect(rejection(() => toSql('meta.created gt "yesterday"')).scimType).toBe("invalidFilter");
  });

  it("rejects unknown attributes, wrong value types and malformed filters with invalidFilter", () => {
    for (const filter of [
      "shoeSize eq 42",
      'name.nickname eq "x"',
      'password eq "x"',
      'active eq "maybe"',
      "userName eq true",
      'userName eq "x" and',
      "((((",
      '"x" eq userName',
      'emails[value eq "a"',
      'members eq "x"',
    ]) {
      const error = rejection(() => toSql(filter));
      expect([error.status, error.scimType], filter).toEqual([400, "invalidFilter"]);
    }
  });

  it("bounds the size and depth of a filter", () => {
    expect(rejection(() => parseFilter(`${"(".repeat(40)}userName eq "x"${")".repeat(40)}`)).scimType).toBe("invalidFilter");
    expect(rejection(() => parseFilter(Array.from({ length: 80 }, () => 'userName eq "x"').join(" or "))).scimType).toBe("invalidFilter");
  });

  it("reads string values as JSON strings, so an escaped backslash is one backslash", () => {
    expect(toSql('userName eq "CORP\\\\jdoe"').params).toEqual(["CORP\\jdoe"]);
    expect(toSql('userName eq "say \\"hi\\""').params).toEqual(['say "hi"']);
  });

  it("reads bare words after an operator as strings (Microsoft's clients send them)", () => {
    expect(toSql("userName sw O").params).toEqual(["O%"]);
    expect(toSql("name.familyName eq Employee and (emails.value co example.com)").params).toContain("%example.com%");
  });

  it("filters groups by name and by member through their grants", () => {
    const ctx = groupFilterContext("scim:okta");
    expect(toSql('displayName eq "Admins"', ctx).sql).toBe('lower("entitlements"."name") = lower($1::text)');
    const member = toSql('members[value eq "6f9619ff-8b86-d011-b42d-00c04fc964ff"]', ctx);
    expect(member.sql).toContain('g.entitlement_id = "entitlements"."id"');
    expect(member.sql).toContain("m.source = $1");
    expect(member.params[0]).toBe("scim:okta");
    expect(toSql('members eq "6f9619ff-8b86-d011-b42d-00c04fc964ff"', ctx).sql).toBe(member.sql);
  });
});
