import type { findings } from "@/db/schema";

export type FindingKind = (typeof findings.$inferSelect)["kind"];
export type FindingStatus = (typeof findings.$inferSelect)["status"];
export type Severity = (typeof findings.$inferSelect)["severity"];

/**
 * The nine kinds of DESIGN.md "Drift findings" (kinds 5 and 6 each have two variants), in the
 * words the findings page and the README use. `computed: false` kinds exist in the enum for
 * later work and are never produced by the recompute.
 */
export const FINDING_KINDS: Record<FindingKind, { label: string; design: number; explains: string; computed: boolean }> = {
  used_without_approval: {
    label: "Used without approval",
    design: 1,
    explains: "A session or usage event on an entitlement at a time no approved grant or JIT activation covered.",
    computed: true,
  },
  expired_but_live: {
    label: "Expired but live",
    design: 2,
    explains: "A time-bound grant past its expiry that the target still shows, or a session that ran on after its JIT activation ended.",
    computed: true,
  },
  revocation_not_applied: {
    label: "Revocation not applied",
    design: 3,
    explains: "A revocation still not verified after the application's revocation SLA.",
    computed: true,
  },
  regranted_after_revocation: {
    label: "Re-granted after revocation",
    design: 4,
    explains: "Access came back (a sync, an import, the same grant seen again) after Accord revoked it, without a new approval.",
    computed: true,
  },
  orphan_account: { label: "Orphan account", design: 5, explains: "An active account in an application that belongs to no known identity.", computed: true },
  leaver_account: { label: "Account of a leaver", design: 5, explains: "Someone who left still has an active account or live grants in an application.", computed: true },
  nhi_no_owner: { label: "Non-human identity without owner", design: 6, explains: "An active service account, key, token, workload or agent nobody owns.", computed: true },
  nhi_owner_leaver: { label: "Non-human identity owned by a leaver", design: 6, explains: "An active non-human identity whose owner has left.", computed: true },
  unused_standing_privilege: {
    label: "Unused standing privilege",
    design: 7,
    explains: "A standing grant of a privileged entitlement with no session or usage event in the last N days (default 90).",
    computed: true,
  },
  break_glass_unreviewed: {
    label: "Break-glass use not reviewed",
    design: 8,
    explains: "A break-glass activation with no decided post-use review and no review of the grant since.",
    computed: true,
  },
  sod_conflict: { label: "SoD conflict", design: 9, explains: "Someone holds more than one entitlement of a separation-of-duties rule, a set of entitlements nobody may combine.", computed: true },
  credential_not_rotated: { label: "Credential not rotated", design: 0, explains: "Not computed yet.", computed: false },
};

export const COMPUTED_KINDS = (Object.keys(FINDING_KINDS) as FindingKind[]).filter((k) => FINDING_KINDS[k].computed);

export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];

/** Findings whose subject is an identity's whole standing in an application rather than one grant. */
export const NHI_KINDS: readonly FindingKind[] = ["nhi_no_owner", "nhi_owner_leaver"];
