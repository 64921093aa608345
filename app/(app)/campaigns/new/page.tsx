import type { Metadata } from "next";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { newCampaignOptions } from "@/lib/domain/campaigns/campaign-views";
import { EXTEND_ONCE_DAYS } from "@/lib/domain/campaigns/close-campaign";
import { systemDeps } from "@/lib/domain/deps";
import { orNotFound } from "@/lib/pages";
import { PageHeader } from "@/components/ui/page-header";
import { CampaignForm } from "./_components/campaign-form";

export const metadata: Metadata = { title: "New campaign" };

export default async function NewCampaignPage() {
  const actor = await requireActor();
  const options = await orNotFound(newCampaignOptions(systemDeps(db()), actor));
  return (
    <>
      <PageHeader title="New campaign" subtitle="Choose what to review and who reviews it. The campaign is saved as a draft; nothing is snapshotted until you launch it." />
      {options.applications.length === 0 && !options.mayChooseAnyApplication ? (
        <p className="rounded-lg border border-slate-200 bg-white p-4">
          You own no application, so there is nothing you can review here. Application owners run campaigns over their own applications; an admin can run one over any.
        </p>
      ) : (
        <CampaignForm applications={options.applications} mayChooseAnyApplication={options.mayChooseAnyApplication} extendOnceDays={EXTEND_ONCE_DAYS} />
      )}
    </>
  );
}
