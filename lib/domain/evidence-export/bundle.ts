import { Readable } from "node:stream";
import { ZipFile } from "yazl";
import { auditSegmentQuery, itemTableQuery, type CampaignCompleteness, type RawQuery, type RowShape } from "@/db/queries/evidence-export";
import { AUDIT_TABLE, ITEM_TABLES, type ExportColumn, type ExportScope } from "@/db/queries/evidence-export-tables";
import { signBytes, type Checkpoint } from "@/lib/domain/audit/checkpoint-format";
import type { SigningKey } from "@/lib/domain/audit/signing-key";
import { ChainChecker, chainRowOf } from "./audit-rows";
import type { ControlMapping } from "./control-mapping";
import type { KeyFigures } from "./key-figures";
import { summaryHtml, type SegmentVerification } from "./summary";
import { csvChunks, digesting, jsonChunks, newDigest, type FileDigest, type RowBatch } from "./writers";

export const BUNDLE_FORMAT = "accord-evidence-bundle/v1";

export interface Segment {
  fromId: number;
  toId: number;
  /** The event just before fromId and its hash (the genesis hash when there is none). */
  previousId: number | null;
  previousHash: string;
}

export interface BundleInput {
  exportId: string;
  createdAt: Date;
  createdBy: { id: string; label: string };
  origin: string;
  scope: ExportScope;
  scopeText: string;
  segment: Segment;
  checkpoint: Checkpoint;
  signingKey: SigningKey;
  completeness: CampaignCompleteness[];
  figures: KeyFigures;
  mapping: { mapping: ControlMapping; text: string };
  /** Rows of a query in a file's shape, batch by batch, from the export's snapshot. */
  rows: (query: RawQuery, shape: RowShape) => AsyncIterable<RowBatch>;
  onRows: (n: number) => void;
}

/** A campaign's completeness holds when its launch population, its items and its decided + undecided agree. */
export function completenessHolds(c: Pick<CampaignCompleteness, "grantsInScopeAtLaunch" | "items" | "decided" | "undecided">): boolean | null {
  if (c.grantsInScopeAtLaunch === null) return null;
  return c.grantsInScopeAtLaunch === c.items && c.items === c.decided + c.undecided;
}

/** Reads the audit segment's JSON rows back as they go out, to recompute the chain at export. */
async function* tapAuditRows(chunks: AsyncIterable<RowBatch>, checker: ChainChecker): AsyncGenerator<RowBatch> {
  for await (const batch of chunks) {
    for (const row of batch) checker.push(chainRowOf(JSON.parse(row.toString("utf8")) as Record<string, unknown>));
    yield batch;
  }
}

/**
 * The evidence bundle as a zip stream (yazl): data files as CSV and JSON, the audit segment and
 * its verification, completeness, the control mapping, the signed checkpoint, a summary, and
 * last the manifest (SHA-256, size and rows of every file) with its Ed25519 signature. Entries
 * are produced one after another as the zip is read, so memory stays flat; the manifest is
 * written once every file before it has been hashed.
 */
export function evidenceBundle(input: BundleInput): Readable {
  const zip = new ZipFile();
  const mtime = input.createdAt;
  const files: FileDigest[] = [];
  const checker = new ChainChecker(input.segment.previousHash);

  const addStream = (path: string, produce: () => AsyncIterable<Buffer>, rows: () => number | null) => {
    zip.addReadStreamLazy(path, { mtime }, (cb) => {
      const digest = newDigest();
      const source = Readable.from(
        (async function* () {
          yield* digesting(produce(), digest);
          files.push({ path, sha256: digest.hash.digest("hex"), bytes: digest.bytes, rows: rows() });
        })(),
      );
      cb(null, source);
    });
  };
  const addText = (path: string, text: () => string) =>
    addStream(
      path,
      async function* () {
        yield Buffer.from(text());
      },
      () => null,
    );

  const counting = (columns: ExportColumn[], query: (shape: RowShape) => RawQuery, kind: RowShape, tap?: (rows: AsyncIterable<RowBatch>) => AsyncIterable<RowBatch>) => {
    let rows = 0;
    const count = (n: number) => {
      rows += n;
      input.onRows(n);
    };
    const produce = () => {
      const source = input.rows(query(kind), kind);
      return kind === "csv" ? csvChunks(columns, source, count) : jsonChunks(tap ? tap(source) : source, count);
    };
    return { produce, rows: () => rows };
  };

  for (const table of ITEM_TABLES) {
    for (const kind of ["csv", "json"] as const) {
      const file = counting(table.columns, (shape) => itemTableQuery(table, input.scope, shape), kind);
      addStream(`data/${table.name}.${kind}`, file.produce, file.rows);
    }
  }
  const auditQuery = (shape: RowShape) => auditSegmentQuery(input.segment, shape);
  const auditCsv = counting(AUDIT_TABLE.columns, auditQuery, "csv");
  addStream("audit/audit_events.csv", auditCsv.produce, auditCsv.rows);
  const auditJson = counting(AUDIT_TABLE.columns, auditQuery, "json", (rows) => tapAuditRows(rows, checker));
  addStream("audit/audit_events.json", auditJson.produce, auditJson.rows);

  const verification = (): SegmentVerification => ({
    fromId: checker.first?.id ?? null,
    toId: input.segment.toId,
    rows: checker.checked + (checker.brokenAt ? 1 : 0),
    previousId: input.segment.previousId,
    previousHash: input.segment.previousHash,
    ok: checker.brokenAt === null,
    brokenAt: checker.brokenAt ? { id: checker.brokenAt.id, reason: checker.brokenAt.reason } : null,
    endsAtCheckpoint: checker.brokenAt === null && checker.last?.id === input.checkpoint.headId && checker.last.hash === input.checkpoint.headHash,
  });
  addText(
    "audit/verification.json",
    () => `${JSON.stringify({ method: "sha256-chain/rfc8785", verifiedAt: input.createdAt.toISOString(), ...verification(), brokenAt: checker.brokenAt }, null, 2)}\n`,
  );

  const completeness = input.completeness.map((c) => ({ ...c, ok: completenessHolds(c) }));
  addText(
    "completeness.json",
    () => `${JSON.stringify({ rule: "grantsInScopeAtLaunch = items = decided + undecided (first stage)", ok: completeness.every((c) => c.ok === true), campaigns: completeness }, null, 2)}\n`,
  );
  addText("control-mapping.json", () => input.mapping.text);
  addText("checkpoint.json", () => `${JSON.stringify(input.checkpoint, null, 2)}\n`);
  addText("public-key.pem", () => input.signingKey.publicKey.export({ type: "spki", format: "pem" }).toString());
  addText("summary.html", () =>
    summaryHtml({
      title: `Accord evidence: ${input.scopeText}`,
      scopeText: input.scopeText,
      createdAt: input.createdAt.toISOString(),
      createdBy: input.createdBy.label,
      origin: input.origin,
      completeness,
      figures: input.figures,
      segment: verification(),
      checkpoint: input.checkpoint,
      mapping: input.mapping.mapping,
      files: [...files],
    }),
  );

  let manifestBytes: Buffer | null = null;
  const manifest = () => {
    manifestBytes = Buffer.from(
      `${JSON.stringify(
        {
          format: BUNDLE_FORMAT,
          exportId: input.exportId,
          createdAt: input.createdAt.toISOString(),
          createdBy: input.createdBy,
          origin: input.origin,
          scope: input.scope,
          scopeText: input.scopeText,
          audit: { ...input.segment, rows: verification().rows, chainOk: verification().ok },
          checkpoint: { headId: input.checkpoint.headId, headHash: input.checkpoint.headHash, keyId: input.checkpoint.keyId },
          completenessOk: completeness.every((c) => c.ok === true),
          files,
        },
        null,
        2,
      )}\n`,
    );
    return manifestBytes;
  };
  // Generators, so each is computed when the zip reaches it (after every file above is hashed).
  const lazy = (make: () => Buffer) =>
    Readable.from(
      (function* () {
        yield make();
      })(),
    );
  zip.addReadStreamLazy("manifest.json", { mtime }, (cb) => cb(null, lazy(manifest)));
  zip.addReadStreamLazy("manifest.sig", { mtime }, (cb) =>
    cb(
      null,
      lazy(() => Buffer.from(`${signBytes(manifestBytes!, input.signingKey.privateKey)}\n`)),
    ),
  );
  zip.end();
  return zip.outputStream as Readable;
}
