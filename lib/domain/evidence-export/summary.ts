import type { CampaignCompleteness } from "@/db/queries/evidence-export";
import type { Checkpoint } from "@/lib/domain/audit/checkpoint-format";
import type { ControlMapping } from "./control-mapping";
import type { KeyFigures } from "./key-figures";
import type { FileDigest } from "./writers";

export interface SegmentVerification {
  fromId: number | null;
  toId: number;
  rows: number;
  previousId: number | null;
  previousHash: string;
  ok: boolean;
  brokenAt: { id: number; reason: string } | null;
  endsAtCheckpoint: boolean;
}

export interface SummaryInput {
  title: string;
  scopeText: string;
  createdAt: string;
  createdBy: string;
  origin: string;
  completeness: (CampaignCompleteness & { ok: boolean | null })[];
  figures: KeyFigures;
  segment: SegmentVerification;
  checkpoint: Checkpoint;
  mapping: ControlMapping;
  files: FileDigest[];
}

const esc = (value: unknown) => String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const n = (value: number | null | undefined) => (value === null || value === undefined ? "—" : value.toLocaleString("en"));

function table(caption: string, headers: string[], rows: string[][]): string {
  return `<table><caption>${esc(caption)}</caption><thead><tr>${headers.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead><tbody>${
    rows.length ? rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`).join("") : `<tr><td colspan="${headers.length}">None.</td></tr>`
  }</tbody></table>`;
}

/**
 * The bundle's human-readable summary: key figures, completeness, the audit chain's verification,
 * the checkpoint and the control mapping. A plain HTML file with no scripts or remote resources,
 * so it opens offline; every value from the database is escaped.
 */
export function summaryHtml(s: SummaryInput): string {
  const f = s.figures;
  const items = s.completeness.reduce((a, c) => a + c.items + c.secondStageItems, 0);
  const completenessOk = s.completeness.every((c) => c.ok === true);
  const verdict = (ok: boolean | null) => (ok === true ? '<strong class="ok">holds</strong>' : ok === false ? '<strong class="bad">DOES NOT HOLD</strong>' : "<strong>not recorded</strong>");
  const evidenceLabel = (key: string) => esc(s.mapping.evidence[key]?.split(":")[0] ?? key);
  const launched = f.campaigns.completion.at(-1) ?? { items: 0, decided: 0, completion: null };
  const d = f.diligence.all;
  const followed = f.campaigns.byRecommendation
    .filter((r) => r.recommendation !== "none")
    .map((r) => `${esc(r.recommendation)}: ${n(r.followed)} of ${n(r.followed + r.other)}${r.followedShare === null ? "" : ` (${r.followedShare}%)`}`)
    .join("; ");
  const hours = (v: number | null) => (v === null ? "—" : v.toFixed(1));
  const share = (part: number, whole: number, value: number) => `${n(part)} (${whole > 0 ? `${value}%` : "—"})`;
  const subject = f.filters.campaignId ? `the campaign of this bundle (campaign filter)` : "every certification campaign (no campaign filter)";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(s.title)}</title>
<style>
body{font:14px/1.5 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#0f172a}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #cbd5e1;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#f1f5f9}
.ok{color:#065f46}.bad{color:#991b1b}code{font-size:12px;word-break:break-all}
</style></head><body>
<h1>${esc(s.title)}</h1>
<p>${esc(s.scopeText)}. Exported ${esc(s.createdAt)} by ${esc(s.createdBy)} from ${esc(s.origin)}.</p>
<h2>Key figures</h2>
<p>This bundle holds ${n(items)} review items (all stages). The figures below are the standing-privilege dashboard's own,
computed by the same SQL as its charts and the lists behind them, for ${subject}, from ${esc(f.period.fromDay)} to ${esc(f.period.toDay)} (UTC days):
<code>${esc(s.origin)}/dashboard?${esc(f.dashboardQuery)}</code> shows the same numbers to an auditor. Figures marked "now" are as of this export.</p>
${table(
  "Key figures",
  ["Figure", "Value"],
  [
    ["Review items launched by the end of the period", n(launched.items)],
    ["Of those, decided by the end of the period", share(launched.decided, launched.items, launched.completion ?? 0)],
    ["Review items overdue now", n(f.campaigns.overdue)],
    ["Decisions made in the period (certify, revoke, reduce)", n(d.decisions)],
    ["Certified", share(d.certified, d.decisions, d.certifiedShare)],
    ["Made in bulk", share(d.bulk, d.decisions, d.bulkShare)],
    ["Certifications in bulk or in under 5 seconds", share(d.quickCertifications, d.certified, d.quickCertifyShare)],
    ["Median seconds per decision", d.medianSeconds === null ? "—" : d.medianSeconds.toFixed(1)],
    ["Decisions that followed the recommendation, by what was recommended", followed],
    ["Revocations verified in the period", n(f.revocations.verified)],
    ["Hours from decision to verified removal, median / 90th percentile", `${hours(f.revocations.medianHours)} / ${hours(f.revocations.p90Hours)}`],
    ["Failed revocations now", n(f.revocations.failed)],
    ["Revocations past their SLA now", n(f.revocations.overdue)],
  ],
)}
<h2>Population completeness</h2>
<p>For every campaign: grants in scope at launch = items = decided + undecided. Overall: ${verdict(completenessOk)}.</p>
${table(
  "Completeness by campaign",
  ["Campaign", "Status", "Grants in scope at launch", "Items", "Decided", "Undecided", "Second-stage items", "Check"],
  s.completeness.map((c) => [
    esc(c.campaignName),
    esc(c.campaignStatus),
    `${n(c.grantsInScopeAtLaunch)} <small>(${esc(c.grantsInScopeSource.replaceAll("_", " "))})</small>`,
    n(c.items),
    n(c.decided),
    n(c.undecided),
    n(c.secondStageItems),
    verdict(c.ok),
  ]),
)}
<h2>Audit trail</h2>
<p>Events ${n(s.segment.fromId)} to ${n(s.segment.toId)} (${n(s.segment.rows)} events) are in <code>audit/audit_events.csv</code>. Hash chain recomputed at export:
${s.segment.ok ? '<strong class="ok">intact</strong>' : `<strong class="bad">BROKEN at event ${n(s.segment.brokenAt?.id)} (${esc(s.segment.brokenAt?.reason.replaceAll("_", " "))})</strong>`}${
    s.segment.endsAtCheckpoint ? ", ending at the signed checkpoint below" : ', <strong class="bad">not ending at the signed checkpoint</strong>'
  }. The first event links to event ${n(s.segment.previousId)} (hash <code>${esc(s.segment.previousHash)}</code>).</p>
<p>Signed checkpoint: head event ${n(s.checkpoint.headId)}, hash <code>${esc(s.checkpoint.headHash)}</code>, at ${esc(s.checkpoint.headAt)}; Ed25519 key <code>${esc(s.checkpoint.keyId)}</code>.</p>
<h2>Control mapping</h2>
${s.mapping.frameworks
  .map((fw) =>
    table(
      fw.name,
      ["Control", "Coverage", "Answered by", "How"],
      fw.controls.map((c) => [`<strong>${esc(c.id)}</strong> ${esc(c.title)}`, esc(c.coverage), c.answeredBy.map(evidenceLabel).join("<br>") || "—", esc(c.how)]),
    ),
  )
  .join("\n")}
<h2>Files</h2>
${table(
  "Files and their SHA-256",
  ["File", "Rows", "Bytes", "SHA-256"],
  s.files.map((d) => [esc(d.path), n(d.rows), n(d.bytes), `<code>${esc(d.sha256)}</code>`]),
)}
<h2>How to verify this bundle offline</h2>
<ol><li>Get Accord's public key from someone you trust (<code>/api/evidence/public-key</code>), once, and keep it.</li>
<li>Run <code>npm run accord -- verify-bundle this.zip --public-key accord.pem [--checkpoint earlier-checkpoint.json]</code>. It needs no database and no network.</li>
<li>It checks the manifest's signature and every file's SHA-256, recomputes the audit hash chain, checks the checkpoint's signature (and that the trail still passes through your earlier checkpoint), and recounts completeness from <code>data/items.csv</code>.</li></ol>
</body></html>
`;
}
