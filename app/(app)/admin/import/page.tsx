import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { IMPORT_KINDS, MAX_IMPORT_BYTES } from "@/lib/domain/import/kinds";
import { importOverview } from "@/lib/domain/import/service";
import { orNotFound } from "@/lib/pages";
import { PageHeader, Section } from "@/components/ui/page-header";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { ImportStatusBadge } from "@/components/import/status-badge";
import { UploadForm } from "./_components/upload-form";

export const metadata: Metadata = { title: "Import" };

const link = "text-blue-800 underline";

export default async function ImportPage() {
  const actor = await requireActor();
  const { batches, applications } = await orNotFound(importOverview(systemDeps(db()), actor));
  return (
    <>
      <PageHeader
        title="Import"
        subtitle={`Identities, applications, accounts, entitlements and grants from CSV or JSON, up to ${MAX_IMPORT_BYTES / 2 ** 20} MB. Every file is checked first and imported all-or-nothing.`}
      />
      <UploadForm applications={applications} maxMegabytes={MAX_IMPORT_BYTES / 2 ** 20} />
      <Section title="Templates" description="The columns each kind takes, with one example row. Rows are matched by their key, so importing the same file twice changes nothing.">
        <ul className="flex flex-wrap gap-4 text-sm">
          {IMPORT_KINDS.map((kind) => (
            <li key={kind}>
              <a className={link} href={`/api/v1/import/templates/${kind}`} download>
                {kind}.csv template
              </a>
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Recent imports">
        <Table caption="Recent imports, newest first" captionHidden headers={["Uploaded", "File", "Kind", "Rows", "Status", "Run by"]}>
          {batches.length === 0 ? <EmptyRow colSpan={6}>Nothing has been imported yet. Upload a file above to see what it would change.</EmptyRow> : null}
          {batches.map((b) => (
            <tr key={b.id}>
              <Td>
                <Time value={b.createdAt} />
              </Td>
              <Td>
                <Link className={link} href={`/admin/import/${b.id}`}>
                  {b.filename}
                </Link>
              </Td>
              <Td>{b.kind}</Td>
              <Td>{b.totalRows?.toLocaleString("en") ?? "—"}</Td>
              <Td>
                <ImportStatusBadge status={b.status} />
                {b.errorCount ? <span className="ml-1 text-slate-700">{b.errorCount.toLocaleString("en")} errors</span> : null}
              </Td>
              <Td>{b.createdByName ?? "Command line"}</Td>
            </tr>
          ))}
        </Table>
      </Section>
    </>
  );
}
