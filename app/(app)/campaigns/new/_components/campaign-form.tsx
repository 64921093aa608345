"use client";

import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import type { CampaignScope } from "@/lib/domain/campaigns/campaign-scope";
import { PersonPicker, type ChosenPerson } from "@/components/people/person-picker";
import { buttonClass } from "@/components/ui/field";
import { useHydrated } from "@/components/ui/use-hydrated";
import { createCampaignDraft, lookUpReviewer } from "../../actions";
import { ScopePreview } from "./scope-preview";
import { ApplicationChooser } from "./application-chooser";
import { Errors, Fieldset, NumberInput, Select, control } from "./form-parts";

const findReviewer = (email: string) => lookUpReviewer({ email });

const RULES: [string, string][] = [
  ["manager", "Manager of the person"],
  ["app_owner", "Owner of the application"],
  ["entitlement_owner", "Owner of the entitlement"],
  ["nhi_owner", "Owner of the non-human identity (a person's manager for humans)"],
  ["named", "Named people"],
];

type Flags = Pick<CampaignScope, "privilegedOnly" | "nonHumanOnly" | "sodConflicts" | "breakGlassUsed" | "reviewDue">;
const FLAGS: [keyof Flags, string][] = [
  ["privilegedOnly", "Privileged entitlements only"],
  ["nonHumanOnly", "Non-human identities only"],
  ["sodConflicts", "Grants in separation-of-duties conflicts"],
  ["breakGlassUsed", "Break-glass access used since its last review"],
  ["reviewDue", "Grants due for review (next review date passed or never reviewed)"],
];

/** Reminder days as typed ("7, 1"); anything that is not a number is sent as is, for the server to name. */
function reminderDays(text: string): unknown[] {
  return text
    .split(/[,\s]+/)
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : t));
}

export function CampaignForm({
  applications,
  mayChooseAnyApplication,
  extendOnceDays,
}: {
  applications: { id: string; name: string; privilegedEntitlements: number }[];
  mayChooseAnyApplication: boolean;
  extendOnceDays: number;
}) {
  const router = useRouter();
  const hydrated = useHydrated();
  const [pending, startTransition] = useTransition();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);

  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [applicationIds, setApplicationIds] = useState<string[]>([]);
  const [manager, setManager] = useState<ChosenPerson[]>([]);
  const [flags, setFlags] = useState<Flags>({ privilegedOnly: false, nonHumanOnly: false, sodConflicts: false, breakGlassUsed: false, reviewDue: false });
  const [reviewerRule, setReviewerRule] = useState("manager");
  const [named, setNamed] = useState<ChosenPerson[]>([]);
  const [fallback, setFallback] = useState<ChosenPerson[]>([]);
  const [secondStageRule, setSecondStageRule] = useState("");
  const [secondStagePrivilegedOnly, setSecondStagePrivilegedOnly] = useState(true);
  const [dueInDays, setDueInDays] = useState("14");
  const [reminders, setReminders] = useState("7, 1");
  const [escalateTo, setEscalateTo] = useState("manager");
  const [closePolicy, setClosePolicy] = useState("keep_and_flag");
  const [removals, setRemovals] = useState("at_close");
  const [recurrence, setRecurrence] = useState("none");
  const [recurrenceTouched, setRecurrenceTouched] = useState(false);
  const [recurrenceDays, setRecurrenceDays] = useState("");
  const [windowDays, setWindowDays] = useState("90");
  const [privilegedReviewDays, setPrivilegedReviewDays] = useState("90");
  const [standardReviewDays, setStandardReviewDays] = useState("365");

  const managerId = manager[0]?.id;
  const scope: CampaignScope = useMemo(() => ({ applicationIds, ...(managerId ? { managerId } : {}), ...flags }), [applicationIds, managerId, flags]);

  const setFlag = (key: keyof Flags, value: boolean) => {
    setFlags((f) => ({ ...f, [key]: value }));
    // Privileged access is reviewed quarterly by default, unless the recurrence was chosen by hand.
    if (key === "privilegedOnly" && !recurrenceTouched) setRecurrence(value ? "quarterly" : "none");
  };

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    setMessage(null);
    startTransition(async () => {
      const result = await createCampaignDraft({
        name,
        ...(description.trim() ? { description } : {}),
        scope,
        reviewerRule,
        namedReviewerIds: reviewerRule === "named" ? named.map((p) => p.id) : [],
        fallbackReviewerId: fallback[0]?.id ?? "",
        ...(secondStageRule ? { secondStageRule } : {}),
        secondStagePrivilegedOnly,
        dueInDays,
        reminderDaysBefore: reminderDays(reminders),
        escalateTo,
        closePolicy,
        removals,
        recurrence,
        ...(recurrence === "custom" ? { recurrenceDays } : {}),
        windowDays,
        privilegedReviewDays,
        standardReviewDays,
      });
      if (result.ok) {
        router.push(`/campaigns/${result.data.campaignId}`);
        return;
      }
      setErrors(result.fieldErrors ?? {});
      setMessage(result.message);
    });
  };
  const errorsFor = (prefix: string) => Object.entries(errors).flatMap(([key, list]) => (key === prefix || key.startsWith(`${prefix}.`) ? list : []));

  return (
    <form onSubmit={submit} aria-busy={pending} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      {/* Every control works through JavaScript: disabled until the page is hydrated (no dead clicks). */}
      <fieldset disabled={!hydrated} className="grid gap-6">
        <Fieldset legend="Campaign">
          <label className="block text-sm font-medium text-slate-800">
            Name
            <input value={name} onChange={(e) => setName(e.target.value)} aria-invalid={errorsFor("name").length > 0} aria-describedby="name-error" className={control} />
          </label>
          <Errors id="name-error" messages={errorsFor("name")} />
          <label className="block text-sm font-medium text-slate-800">
            Description (optional)
            <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} className={control} />
          </label>
        </Fieldset>

        <Fieldset legend="What to review" description="Every condition narrows the scope: privileged only with two applications reviews the privileged grants of those two.">
          <ApplicationChooser applications={applications} chosen={applicationIds} onChange={setApplicationIds} anyAllowed={mayChooseAnyApplication} errors={errorsFor("scope.applicationIds")} />
          <PersonPicker
            lookUp={findReviewer}
            label="Only a manager's organisation (optional)"
            hint="Everyone below this manager, at every level."
            people={manager}
            onChange={setManager}
            error={errorsFor("scope.managerId")}
          />
          <div className="grid gap-1">
            {FLAGS.map(([key, text]) => (
              <label key={key} className="inline-flex min-h-6 items-center gap-2 text-sm">
                <input type="checkbox" checked={flags[key]} onChange={(e) => setFlag(key, e.target.checked)} />
                {text}
              </label>
            ))}
          </div>
          <Errors id="scope-error" messages={errorsFor("scope").filter((m) => !errorsFor("scope.applicationIds").includes(m))} />
        </Fieldset>

        <Fieldset legend="Who reviews" description="Nobody reviews their own access: such items, and items whose reviewer is missing or inactive, go to the fallback reviewer.">
          <Select label="Reviewer rule" value={reviewerRule} onChange={setReviewerRule} options={RULES} errors={errorsFor("reviewerRule")} />
          {reviewerRule === "named" ? (
            <PersonPicker
              lookUp={findReviewer}
              label="Named reviewers"
              hint="Items go to the first of them who is active and not the person under review."
              people={named}
              onChange={setNamed}
              multiple
              error={errorsFor("namedReviewerIds")}
            />
          ) : null}
          <PersonPicker
            lookUp={findReviewer}
            label="Fallback reviewer (required)"
            hint="Takes the items the rule cannot assign."
            people={fallback}
            onChange={setFallback}
            error={errorsFor("fallbackReviewerId")}
          />
          <Select label="Second stage" value={secondStageRule} onChange={setSecondStageRule} options={[["", "None"], ...RULES.filter(([r]) => r !== "named")]} errors={errorsFor("secondStageRule")} />
          {secondStageRule ? (
            <label className="inline-flex min-h-6 items-center gap-2 text-sm">
              <input type="checkbox" checked={secondStagePrivilegedOnly} onChange={(e) => setSecondStagePrivilegedOnly(e.target.checked)} />
              Only privileged items need the second stage
            </label>
          ) : null}
        </Fieldset>

        <Fieldset legend="Deadlines and what happens at close">
          <div className="grid gap-3 sm:grid-cols-2">
            <NumberInput label="Due in (days)" value={dueInDays} onChange={setDueInDays} errors={errorsFor("dueInDays")} />
            <div>
              <label className="block text-sm font-medium text-slate-800">
                Reminders (days before the due date)
                <input value={reminders} onChange={(e) => setReminders(e.target.value)} aria-describedby="reminders-error" className={control} />
              </label>
              <Errors id="reminders-error" messages={errorsFor("reminderDaysBefore")} />
            </div>
            <Select
              label="Escalate overdue items to"
              value={escalateTo}
              onChange={setEscalateTo}
              options={[
                ["manager", "The reviewer's manager"],
                ["fallback", "The fallback reviewer"],
              ]}
              errors={errorsFor("escalateTo")}
            />
            <Select
              label="Items still undecided at close"
              value={closePolicy}
              onChange={setClosePolicy}
              options={[
                ["keep_and_flag", "Keep the access and flag it as due for review"],
                ["revoke", "Revoke the access"],
                ["extend_once", `Extend once by ${extendOnceDays} days, then keep and flag`],
              ]}
              errors={errorsFor("closePolicy")}
            />
            <Select
              label="Removals take effect"
              value={removals}
              onChange={setRemovals}
              options={[
                ["at_close", "At close (reviewers can change their minds until then)"],
                ["on_decision", "As soon as a reviewer decides"],
              ]}
              errors={errorsFor("removals")}
            />
          </div>
        </Fieldset>

        <Fieldset legend="Recurrence and evidence">
          <div className="grid gap-3 sm:grid-cols-2">
            <Select
              label="Repeat"
              value={recurrence}
              onChange={(v) => {
                setRecurrence(v);
                setRecurrenceTouched(true);
              }}
              options={[
                ["none", "Run once"],
                ["quarterly", "Quarterly"],
                ["yearly", "Yearly"],
                ["custom", "Every … days"],
              ]}
              errors={errorsFor("recurrence")}
            />
            {recurrence === "custom" ? <NumberInput label="Days between runs" value={recurrenceDays} onChange={setRecurrenceDays} errors={errorsFor("recurrenceDays")} /> : null}
            <NumberInput label="Evidence window (days of sessions and usage shown)" value={windowDays} onChange={setWindowDays} errors={errorsFor("windowDays")} />
            <NumberInput label="Next review after certifying privileged access (days)" value={privilegedReviewDays} onChange={setPrivilegedReviewDays} errors={errorsFor("privilegedReviewDays")} />
            <NumberInput label="Next review after certifying other access (days)" value={standardReviewDays} onChange={setStandardReviewDays} errors={errorsFor("standardReviewDays")} />
          </div>
        </Fieldset>

        <div>
          <button type="submit" className={buttonClass} disabled={pending}>
            {pending ? "Saving…" : "Create draft"}
          </button>
          <p aria-live="polite" className="mt-2 text-sm">
            {message ? (
              <span role="alert" className="text-red-800">
                {message} Nothing was saved.
              </span>
            ) : null}
          </p>
        </div>
      </fieldset>
      <div className="lg:sticky lg:top-4 lg:self-start">
        <ScopePreview scope={scope} />
      </div>
    </form>
  );
}
