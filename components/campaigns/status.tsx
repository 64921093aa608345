import { Badge, type Tone } from "@/components/ui/badge";

const STATUS: Record<string, { tone: Tone; label: string }> = {
  draft: { tone: "neutral", label: "Draft" },
  launching: { tone: "info", label: "Launching" },
  active: { tone: "good", label: "Active" },
  closing: { tone: "info", label: "Closing" },
  closed: { tone: "neutral", label: "Closed" },
  cancelled: { tone: "neutral", label: "Cancelled" },
};

/** Words, never colour alone. */
export function CampaignStatusBadge({ status, adHoc = false }: { status: string; adHoc?: boolean }) {
  if (adHoc) return <Badge tone="info">Standing (ad hoc)</Badge>;
  const look = STATUS[status] ?? { tone: "neutral" as const, label: status };
  return <Badge tone={look.tone}>{look.label}</Badge>;
}

/** "34/120 decided" with a bar; the text carries the meaning, the bar only repeats it. */
export function ProgressText({ decided, total }: { decided: number; total: number }) {
  const share = total > 0 ? Math.round((decided / total) * 100) : 0;
  return (
    <span className="inline-flex items-center gap-2 whitespace-nowrap">
      <span>
        {decided.toLocaleString("en")}/{total.toLocaleString("en")} decided
      </span>
      {total > 0 ? (
        <span aria-hidden="true" className="inline-block h-1.5 w-16 rounded bg-slate-200">
          <span className="block h-1.5 rounded bg-blue-800" style={{ width: `${share}%` }} />
        </span>
      ) : null}
    </span>
  );
}

export const REVIEWER_RULE_TEXT: Record<string, string> = {
  manager: "Manager of the person",
  app_owner: "Owner of the application",
  entitlement_owner: "Owner of the entitlement",
  nhi_owner: "Owner of the non-human identity",
  named: "Named people",
};

export function closePolicyText(policy: string, extendDays: number): string {
  if (policy === "revoke") return "Revoke undecided access";
  if (policy === "extend_once") return `Extend once by ${extendDays} days when overdue, then keep undecided access and flag it as due for review`;
  return "Keep undecided access and flag it as due for review";
}

export const RECURRENCE_TEXT: Record<string, string> = {
  none: "Runs once",
  quarterly: "Quarterly (every 91 days)",
  yearly: "Yearly (every 365 days)",
  custom: "Custom interval",
};
