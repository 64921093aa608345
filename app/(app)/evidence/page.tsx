import type { Metadata } from "next";
import Link from "next/link";
import { db } from "@/db/client";
import { requireActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { evidencePage } from "@/lib/domain/evidence-export/views";
import { orNotFound } from "@/lib/pages";
import { Badge } from "@/components/ui/badge";
import { PageHeader, Section } from "@/components/ui/page-header";
import { EmptyRow, Table, Td } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { ExportPanel } from "./_components/export-panel";
import { VerifyPanel } from "./_components/verify-panel";

export const metadata: Metadata = { title: "Evidence export" };
export const dynamic = "force-dynamic";

const tone = { completed: "good", failed: "bad", streaming: "info", ready: "neutral" } as const;

export default async function EvidencePage() {
  const actor = await requireActor();
  const page = await orNotFound(evidencePage(systemDeps(db()), actor));
  return (
    <>
      <PageHeader
        title="Evidence export"
        subtitle="Everything an auditor needs to test a review, as CSV and JSON or as a signed bundle that verifies offline. Every export is recorded in the audit trail."
      >
        <Link className="text-sm text-blue-800 underline" href="/audit">
          Audit trail
        </Link>
      </PageHeader>
      <ExportPanel
        campaigns={page.campaigns.map((c) => ({ id: c.id, name: c.name, status: c.status, itemCount: c.itemCount }))}
        tables={page.tables}
        checkpoints={page.checkpoints.map((c) => ({ id: c.id, headId: c.headId, issuedAt: c.issuedAt.toISOString().slice(0, 16).replace("T", " ") }))}
      />

      <Section title="Recent exports" description="Who exported what and when, with the SHA-256 of what was sent. A download can be taken once; start a new export to download again.">
        <Table caption="Recent exports, newest first" captionHidden headers={["When", "Who", "Scope", "Format", "Status", "Rows", "SHA-256"]}>
          {page.exports.length === 0 ? <EmptyRow colSpan={7}>No exports yet.</EmptyRow> : null}
          {page.exports.map(({ record, requestedBy }) => (
            <tr key={record.id}>
              <Td>
                <Time value={record.createdAt} />
              </Td>
              <Td>{requestedBy}</Td>
              <Td>{String((record.scope as { text?: string }).text ?? "")}</Td>
              <Td>{record.format === "bundle" ? "bundle (zip)" : `${record.tableName}.${record.format}`}</Td>
              <Td>
                <Badge tone={tone[record.status]}>{record.status}</Badge>
                {record.error ? <span className="block text-xs text-red-800">{record.error}</span> : null}
              </Td>
              <Td className="tabular-nums">
                {record.rowsWritten.toLocaleString("en")} of {record.rowsExpected.toLocaleString("en")}
              </Td>
              <Td className="font-mono text-xs break-all">{record.sha256 ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      </Section>

      <Section
        title="Audit checkpoints"
        description={
          <>
            Signed statements of the audit trail&apos;s head, published on every export and every hour. Keep one: a later bundle verified against it proves nothing up to it was rewritten. They are
            signed with Accord&apos;s Ed25519 key:{" "}
            <a className="text-blue-800 underline" href="/api/evidence/public-key">
              download the public key
            </a>
            .
          </>
        }
      >
        <Table caption="Published checkpoints, newest first" captionHidden headers={["#", "Issued", "Head event", "Head hash", "Why", "Key", ""]}>
          {page.checkpoints.length === 0 ? <EmptyRow colSpan={7}>None published yet; one is published with the first export.</EmptyRow> : null}
          {page.checkpoints.map((c) => (
            <tr key={c.id}>
              <Td>{c.id}</Td>
              <Td>
                <Time value={c.issuedAt} />
              </Td>
              <Td>{c.headId}</Td>
              <Td className="font-mono text-xs">{c.headHash.slice(0, 16)}…</Td>
              <Td>{c.reason}</Td>
              <Td className="font-mono text-xs">{c.keyId.slice(0, 12)}…</Td>
              <Td>
                <a className="text-blue-800 underline" href={`/api/evidence/checkpoints/${c.id}`}>
                  Download checkpoint {c.id}
                </a>
              </Td>
            </tr>
          ))}
        </Table>
      </Section>

      <Section
        title="Verify a bundle"
        description="Upload a bundle to check it here against this Accord's key, or, as an auditor should, offline: no database and no network, only the bundle, the public key you kept and, if you have one, an earlier checkpoint."
      >
        <VerifyPanel />
        <pre className="mt-3 overflow-x-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
          npm run accord -- verify-bundle accord-evidence-….zip --public-key accord-checkpoint-key.pem [--checkpoint accord-checkpoint-….json]
        </pre>
      </Section>
    </>
  );
}
