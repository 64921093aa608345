import { describe, expect, it } from "vitest";
import type { Actor } from "./actor";
import { canAttestRevocation, canRetryRevocation, canRevokeGrant } from "./rules";

const actor = (id: string, roles: Actor["roles"] = []): Actor => ({ id, displayName: id, email: null, roles, isManager: false, isAppOwner: false, isNhiOwner: false });
const owner = actor("owner");
const admin = actor("admin", ["admin"]);
const auditor = actor("auditor", ["auditor"]);
const adminAuditor = actor("both", ["admin", "auditor"]);
const holder = actor("holder");
const facts = (status: string, connectorKind = "manual") => ({ status, connectorKind, holderId: "holder", applicationOwnerIds: ["owner", "holder"] });

describe("revocation rules", () => {
  it("retry: failed only, by admins or the application's owners, never auditors", () => {
    expect(canRetryRevocation(owner, facts("failed")).allowed).toBe(true);
    expect(canRetryRevocation(admin, facts("failed")).allowed).toBe(true);
    expect(canRetryRevocation(owner, facts("applied")).allowed).toBe(false);
    expect(canRetryRevocation(auditor, facts("failed")).allowed).toBe(false);
    expect(canRetryRevocation(adminAuditor, facts("failed")).allowed).toBe(false);
    expect(canRetryRevocation(actor("stranger"), facts("failed")).allowed).toBe(false);
  });

  it("attest: manual and waiting only, never by the holder, even one who owns the application", () => {
    expect(canAttestRevocation(owner, facts("dispatched")).allowed).toBe(true);
    expect(canAttestRevocation(admin, facts("requested")).allowed).toBe(true);
    expect(canAttestRevocation(holder, facts("dispatched"))).toEqual({ allowed: false, reason: "Nobody confirms the removal of their own access." });
    expect(canAttestRevocation(owner, facts("dispatched", "scim")).allowed).toBe(false);
    expect(canAttestRevocation(owner, facts("verified")).allowed).toBe(false);
    expect(canAttestRevocation(auditor, facts("dispatched")).allowed).toBe(false);
    expect(canAttestRevocation(adminAuditor, facts("dispatched")).allowed).toBe(false);
    expect(canAttestRevocation(actor("stranger"), facts("dispatched")).allowed).toBe(false);
  });

  it("revoke: active grants, by admins or the application's owners", () => {
    expect(canRevokeGrant(owner, { status: "active", applicationOwnerIds: ["owner"] }).allowed).toBe(true);
    expect(canRevokeGrant(admin, { status: "active", applicationOwnerIds: [] }).allowed).toBe(true);
    expect(canRevokeGrant(owner, { status: "pending_revocation", applicationOwnerIds: ["owner"] }).allowed).toBe(false);
    expect(canRevokeGrant(adminAuditor, { status: "active", applicationOwnerIds: [] }).allowed).toBe(false);
    expect(canRevokeGrant(actor("stranger"), { status: "active", applicationOwnerIds: ["owner"] }).allowed).toBe(false);
  });
});
