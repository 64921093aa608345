import { describe, expect, it } from "vitest";
import type { Actor } from "./actor";
import { canViewReviewerDiligence } from "./metric-rules";

const person = (id: string, roles: Actor["roles"] = []): Actor => ({ id, displayName: id, email: null, roles, isManager: false, isAppOwner: false, isNhiOwner: false });

describe("canViewReviewerDiligence", () => {
  it("shows reviewer diligence to admins and auditors only, and says why to the rest", () => {
    expect(canViewReviewerDiligence(person("admin", ["admin"]))).toEqual({ allowed: true });
    expect(canViewReviewerDiligence(person("auditor", ["auditor"]))).toEqual({ allowed: true });
    for (const actor of [person("manager"), person("app-owner"), person("employee")])
      expect(canViewReviewerDiligence(actor)).toEqual({ allowed: false, reason: expect.stringMatching(/admins and auditors only/) });
  });
});
