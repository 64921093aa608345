import { describe, expect, it } from "vitest";
import { listGrantsQuery } from "./contracts";
import { openApiDocument } from "./openapi";

describe("the OpenAPI document", () => {
  it("describes each query parameter the route validates, from the same schema", () => {
    const doc = openApiDocument();
    const operation = doc.paths?.["/api/v1/grants"]?.get;
    const documented = (operation?.parameters ?? []).map((p) => ("name" in p ? p.name : "")).sort();
    expect(documented).toEqual(Object.keys(listGrantsQuery.shape).sort());
    expect(doc.components?.schemas).toHaveProperty("Grant");
  });
  it("rejects parameters the API does not know", () => {
    expect(listGrantsQuery.safeParse({ unknown: "1" }).success).toBe(false);
    expect(listGrantsQuery.safeParse({ kind: "standing", limit: "20" }).data).toMatchObject({ kind: "standing", limit: 20 });
  });
});

describe("import endpoints in the OpenAPI document", () => {
  it("lists the import kinds the template route accepts, from the same schema", async () => {
    const { importTemplateParams } = await import("./contracts");
    const param = openApiDocument().paths?.["/api/v1/import/templates/{kind}"]?.get?.parameters?.[0] as { schema?: { enum?: string[] } } | undefined;
    expect(param?.schema?.enum).toEqual(importTemplateParams.shape.kind.options);
    const { IMPORT_KINDS } = await import("@/lib/domain/import/kinds");
    expect(importTemplateParams.shape.kind.options).toEqual([...IMPORT_KINDS]);
  });
});

describe("the ingest endpoint in the OpenAPI document", () => {
  it("documents the parameters the route validates, and the formats the parsers read", async () => {
    const { ingestEventsQuery } = await import("./contracts");
    const { INGEST_FORMATS } = await import("@/lib/domain/ingest/formats");
    const operation = openApiDocument().paths?.["/api/v1/events"]?.post;
    expect((operation?.parameters ?? []).map((p) => ("name" in p ? p.name : "")).sort()).toEqual(Object.keys(ingestEventsQuery.shape).sort());
    expect(ingestEventsQuery.shape.format.options).toEqual([...INGEST_FORMATS]);
    expect(operation?.summary).toContain("events:write");
  });
});

describe("the revocation callback in the OpenAPI document", () => {
  it("documents the body the route validates, from the same schema", async () => {
    const { revocationCallbackBody } = await import("./contracts");
    const operation = openApiDocument().paths?.["/api/v1/revocations/{id}/callback"]?.post;
    expect(operation?.summary).toContain("confirms a revocation");
    expect(revocationCallbackBody.shape.status.options).toEqual(["removed", "failed"]);
    expect(openApiDocument().components?.schemas).toHaveProperty("RevocationCallback");
  });
});
