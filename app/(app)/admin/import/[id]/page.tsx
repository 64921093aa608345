import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { viewImportBatch } from "@/lib/domain/import/service";
import { orNotFound } from "@/lib/pages";
import { Facts, PageHeader, Section } from "@/components/ui/page-header";
import { Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { ImportStatusBadge } from "@/components/import/status-badge";
import { ApplyPanel } from "../_components/apply-panel";

export const metadata: Metadata = { title: "Import" };

const link = "text-blue-800 underline";
const n = (value: number | null | undefined) => (value ?? 0).toLocaleString("en");

/** Where the imported rows can be seen. */
const destinations: Record<string, [string, string]> = {
  identities: ["/identities", "Open the identities list"],
  applications: ["/applications", "Open the applications"],
  accounts: ["/applications", "Open the applications"],
  entitlements: ["/applications", "Open the applications"],
  grants: ["/grants", "Open the grants list"],
};

export default async function ImportBatchPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const batch = await orNotFound(viewImportBatch(systemDeps(db()), actor, id));
  const { summary } = batch;
  const applied = batch.status === "applied";
  const counts = summary.counts ?? [];
  const snapshot = summary.snapshot;
  const [href, linkText] = destinations[batch.kind] ?? ["/", "Back to the overview"];
  return (
    <>
      <PageHeader title={`Import: ${batch.filename}`} subtitle={<ImportStatusBadge status={batch.status} />}>
        <Link className={link} href="/admin/import">
          All imports
        </Link>
      </PageHeader>
      <Facts
        items={[
          ["Kind", batch.kind],
          ["Format", batch.format.toUpperCase()],
          ["Rows", n(batch.totalRows)],
          ["Uploaded", <Time key="u" value={batch.createdAt} />],
          ["Uploaded by", batch.createdByName ?? summary.uploadedBy ?? "Command line"],
          ["Snapshot of", batch.snapshotApplicationName ?? "Not a snapshot"],
          [
            "SHA-256",
            <span key="h" className="font-mono text-xs break-all">
              {batch.sha256}
            </span>,
          ],
          ...(applied
            ? ([
                ["Imported", <Time key="a" value={batch.appliedAt} />],
                ["Imported by", summary.appliedBy ?? "—"],
              ] as [string, React.ReactNode][])
            : []),
        ]}
      />

      {batch.status === "invalid" ? (
        <div role="alert" className="mt-6 rounded border border-red-300 bg-red-50 p-4 text-red-900">
          <p className="font-semibold">Nothing was imported.</p>
          <p>
            The file has {n(batch.errorCount)} error{batch.errorCount === 1 ? "" : "s"}. Fix them and{" "}
            <Link className={link} href="/admin/import">
              upload the corrected file
            </Link>
            ; one bad row rejects the whole file so nothing is half-written.
          </p>
        </div>
      ) : null}
      {batch.status === "failed" ? (
        <div role="alert" className="mt-6 rounded border border-red-300 bg-red-50 p-4 text-red-900">
          <p className="font-semibold">The import failed and nothing was imported.</p>
          <p>{summary.failure ?? "An unexpected error stopped it."} The transaction was rolled back; you can upload the file again.</p>
        </div>
      ) : null}
      {batch.status === "uploaded" ? <p className="mt-6">This file is still being checked. Reload the page in a moment.</p> : null}

      {batch.errors.length > 0 ? (
        <Section title="Errors" description={`Rows are numbered as in a spreadsheet: the header is row 1. Showing ${n(batch.errors.length)} of ${n(batch.errorCount)}.`}>
          <Table caption={`Errors in ${batch.filename}`} captionHidden headers={["Row", "Column", "Problem"]}>
            {batch.errors.map((e, index) => (
              <tr key={index}>
                <Td>{e.row > 0 ? e.row : "whole file"}</Td>
                <Td className="font-mono text-xs">{e.column}</Td>
                <Td>{e.message}</Td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}

      {counts.length > 0 ? (
        <Section title={applied ? "What was imported" : "What this import will change"} description={applied ? undefined : "Nothing has been written yet."}>
          <Table
            caption={applied ? "Imported changes" : "Changes the import will make"}
            captionHidden
            headers={["Records", applied ? "Created" : "To create", applied ? "Updated" : "To update", "Unchanged"]}
          >
            {counts.map((c) => (
              <tr key={c.entity}>
                <Td>{c.entity}</Td>
                <Td>{n(c.create)}</Td>
                <Td>{n(c.update)}</Td>
                <Td>{n(c.unchanged)}</Td>
              </tr>
            ))}
          </Table>
          {snapshot ? (
            <p className="mt-2 text-sm">
              Snapshot of {snapshot.application}: {n(snapshot.present)} live grants {applied ? "were" : "will be"} marked present and {n(snapshot.absent)} absent ({n(snapshot.newlyAbsent)} not known
              to be absent before: drift to look at).
            </p>
          ) : null}
        </Section>
      ) : null}

      {batch.status === "previewed" || batch.status === "applying" ? (
        <Section title="Import" description="One transaction: either every row is imported or none is. The import is recorded in the audit trail.">
          <ApplyPanel batchId={batch.id} totalRows={batch.totalRows ?? 0} status={batch.status} />
        </Section>
      ) : null}
      {applied ? (
        <p className="mt-6" role="status">
          Imported {n(batch.totalRows)} rows.{" "}
          <Link className={link} href={href}>
            {linkText}
          </Link>
        </p>
      ) : null}
    </>
  );
}
