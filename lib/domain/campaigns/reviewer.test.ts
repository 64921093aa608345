import { describe, expect, it } from "vitest";
import { resolveReviewer, type Candidate } from "./reviewer";

const subject = "subject";
const ask = (candidates: Candidate[], extra: { fallbackId?: string | null; ownerId?: string | null } = {}) =>
  resolveReviewer({ rule: "manager", subjectId: subject, candidates, fallbackId: extra.fallbackId ?? "fallback", ownerId: extra.ownerId ?? "owner" });

describe("resolveReviewer", () => {
  it("picks the rule's first active candidate", () => {
    expect(ask([{ id: "m1", status: "active" }])).toEqual({ reviewerId: "m1", reason: "Manager" });
  });

  it("skips inactive candidates and the person under review, in order", () => {
    const answer = resolveReviewer({
      rule: "app_owner",
      subjectId: subject,
      candidates: [
        { id: "gone", status: "leaver" },
        { id: subject, status: "active" },
        { id: "o3", status: "active" },
      ],
      fallbackId: "fallback",
      ownerId: null,
    });
    expect(answer).toEqual({ reviewerId: "o3", reason: "Application owner" });
  });

  it("falls back when the manager has left", () => {
    expect(ask([{ id: "m1", status: "leaver" }])).toEqual({ reviewerId: "fallback", reason: "Fallback reviewer: the manager is not active" });
  });

  it("falls back when nobody is found (ownerless NHI)", () => {
    expect(ask([])).toEqual({ reviewerId: "fallback", reason: "Fallback reviewer: no manager" });
  });

  it("never lets someone review their own access, not even as the fallback", () => {
    expect(ask([{ id: subject, status: "active" }], { fallbackId: subject })).toEqual({
      reviewerId: "owner",
      reason: "Campaign owner: the manager is the person under review",
    });
  });

  it("leaves the item unassigned, and says why, when nobody else is left", () => {
    expect(ask([{ id: subject, status: "active" }], { fallbackId: subject, ownerId: subject })).toEqual({
      reviewerId: null,
      reason: "Unassigned: the manager is the person under review",
    });
  });
});

describe("resolveReviewer with exclusions", () => {
  it("skips excluded people at every level", () => {
    const answer = resolveReviewer({
      rule: "app_owner",
      subjectId: subject,
      candidates: [{ id: "raiser", status: "active" }],
      fallbackId: "raiser",
      excludeIds: ["raiser"],
      ownerId: "owner",
    });
    expect(answer).toEqual({ reviewerId: "owner", reason: "Campaign owner: the application owner is not active" });
  });
});
