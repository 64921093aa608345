import type { CampaignOverview } from "@/lib/domain/campaigns/campaign-views";
import { EXTEND_ONCE_DAYS } from "@/lib/domain/campaigns/close-campaign";
import { recurrenceDays } from "@/lib/domain/campaigns/create-campaign";
import { closePolicyText, RECURRENCE_TEXT, REVIEWER_RULE_TEXT } from "@/components/campaigns/status";
import { Facts, Section } from "@/components/ui/page-header";
import { Time } from "@/components/ui/time";

/** Every setting the campaign runs with, in words. */
export function CampaignSettings({ view }: { view: CampaignOverview }) {
  const c = view.campaign;
  const every = recurrenceDays(c);
  const reviewer = REVIEWER_RULE_TEXT[c.reviewerRule] + (c.reviewerRule === "named" && view.namedReviewers.length ? `: ${view.namedReviewers.join(", ")}` : "");
  const closePolicy = closePolicyText(c.closePolicy, EXTEND_ONCE_DAYS) + (c.extendedAt ? " (already extended once)" : "");
  return (
    <Section title="Settings">
      <Facts
        items={[
          ["Scope", view.scopeText],
          ["Reviewer rule", reviewer],
          ["Fallback reviewer", view.fallbackReviewer ?? "None"],
          ["Second stage", c.secondStageRule ? `${REVIEWER_RULE_TEXT[c.secondStageRule]}${c.secondStagePrivilegedOnly ? ", privileged items only" : ", every item"}` : "None"],
          ["Reminders", c.reminderDaysBefore.length ? `${[...c.reminderDaysBefore].sort((a, b) => b - a).join(", ")} day(s) before the due date` : "None"],
          ["Escalation", c.escalateTo === "fallback" ? "Overdue items go to the fallback reviewer" : "Overdue items go to the reviewer's manager"],
          ["At close", closePolicy],
          ["Removals take effect", c.removals === "on_decision" ? "As soon as a reviewer decides" : "When the campaign closes"],
          ["Repeats", c.recurrence === "custom" ? `Every ${every} days` : RECURRENCE_TEXT[c.recurrence]],
          ["Evidence window", `${c.windowDays} days`],
          ["Next review after certifying", `${c.privilegedReviewDays} days for privileged access, ${c.standardReviewDays} days for other access`],
          [
            "Created",
            <span key="created">
              {view.createdBy ?? "Accord"}, <Time value={c.createdAt} />
            </span>,
          ],
          ["Launched", <Time key="launched" value={c.launchedAt} />],
          ["Closed", <Time key="closed" value={c.closedAt} />],
          ["Run", c.recurrence !== "none" ? `Run ${c.runNumber} of a recurring series` : "Single run"],
        ]}
      />
    </Section>
  );
}
