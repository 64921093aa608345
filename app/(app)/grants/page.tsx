import type { Metadata } from "next";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { browseGrants, grantFiltersSchema } from "@/lib/domain/inventory/grants";
import { queryOf, type SearchParams } from "@/lib/pages";
import { SelectField, TextField } from "@/components/ui/field";
import { FilterForm } from "@/components/ui/filter-form";
import { PageHeader } from "@/components/ui/page-header";
import { GrantTable } from "@/components/inventory/grant-table";
import { Pager } from "@/components/ui/pager";

export const metadata: Metadata = { title: "Grants" };

export default async function GrantsPage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const query = await queryOf(searchParams);
  const filters = grantFiltersSchema.parse(query);
  const page = await browseGrants(systemDeps(db()), actor, filters);
  return (
    <>
      <PageHeader title="Grants" subtitle="Who holds which entitlement, how, and whether the target system agrees. Newest first." />
      <FilterForm label="Filter grants" columns="sm:grid-cols-5">
        {filters.applicationId ? <input type="hidden" name="applicationId" value={filters.applicationId} /> : null}
        {filters.identityId ? <input type="hidden" name="identityId" value={filters.identityId} /> : null}
        <TextField label="Search holder or entitlement" name="q" value={filters.q} />
        <SelectField
          label="Kind"
          name="kind"
          value={filters.kind}
          options={[
            ["", "Any"],
            ["standing", "Standing"],
            ["time_bound", "Time-bound"],
            ["eligible", "JIT eligible"],
          ]}
        />
        <SelectField
          label="Status"
          name="status"
          value={filters.status}
          options={[
            ["", "Any"],
            ["active", "Active"],
            ["pending_revocation", "Revocation pending"],
            ["revoked", "Revoked"],
            ["expired", "Expired"],
          ]}
        />
        <SelectField
          label="Privileged"
          name="privileged"
          value={query.privileged}
          options={[
            ["", "Any"],
            ["1", "Privileged only"],
            ["0", "Not privileged"],
          ]}
        />
      </FilterForm>
      <GrantTable caption="Grants" rows={page.rows} columns={["identity", "application", "entitlement", "kind", "status", "live", "granted", "expires"]} empty="No grant matches these filters." />
      <Pager basePath="/grants" query={query} nextCursor={page.nextCursor} />
    </>
  );
}
