import { createHash, type KeyObject } from "node:crypto";
import { createInterface } from "node:readline";
import { PassThrough, type Readable } from "node:stream";
import { parse } from "csv-parse";
import yauzl from "yauzl";
import { z } from "zod";
import { checkpointSchema, keyIdOf, parsePublicKey, verifyBytes, verifyCheckpoint } from "@/lib/domain/audit/checkpoint-format";
import { ChainChecker, chainRowOf } from "./audit-rows";

/**
 * Verifies an evidence bundle OFFLINE: no database, no network, only the zip file (and, if the
 * auditor has them, Accord's public key and an earlier checkpoint). Every file is read as a
 * stream, so a bundle of millions of rows verifies in flat memory.
 *
 *   1. manifest.sig is the Ed25519 signature of manifest.json by the trusted key;
 *   2. every file in the manifest has the SHA-256, size and row count it states, and the zip
 *      holds no file the manifest does not list;
 *   3. checkpoint.json is signed by the same key, and the audit segment's hash chain recomputes
 *      from its first event's link to the checkpoint's head;
 *   4. an earlier checkpoint (optional) is signed too, and the trail still passes through it;
 *   5. completeness: recounted from data/items.csv, grants in scope at launch = items =
 *      decided + undecided for every campaign, and equal to completeness.json.
 */
export interface VerifyOptions {
  /** The key the auditor trusts (PEM or base64 SPKI). Without it the bundle's own key is used. */
  publicKey?: string;
  /** An earlier checkpoint the auditor kept (its JSON text). */
  earlierCheckpoint?: string;
}

export interface VerifyCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface VerifyReport {
  ok: boolean;
  checks: VerifyCheck[];
  warnings: string[];
}

const manifestSchema = z.object({
  format: z.literal("accord-evidence-bundle/v1"),
  origin: z.string(),
  audit: z.object({ fromId: z.number(), toId: z.number(), previousId: z.number().nullable(), previousHash: z.string(), rows: z.number() }),
  checkpoint: z.object({ headId: z.number(), headHash: z.string(), keyId: z.string() }),
  files: z.array(z.object({ path: z.string(), sha256: z.string(), bytes: z.number(), rows: z.number().nullable() })),
});

const completenessSchema = z.object({
  campaigns: z.array(
    z.object({
      campaignId: z.string(),
      campaignName: z.string(),
      grantsInScopeAtLaunch: z.number().nullable(),
      items: z.number(),
      decided: z.number(),
      undecided: z.number(),
      secondStageItems: z.number(),
    }),
  ),
});

interface ZipReader {
  names: string[];
  open(name: string): Promise<Readable>;
  close(): void;
}

async function openZip(file: string): Promise<ZipReader> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(file, { lazyEntries: true, autoClose: false }, (err, z) => (err ? reject(err) : resolve(z!))));
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.on("end", () => resolve());
    zip.on("error", reject);
    zip.readEntry();
  });
  return {
    names: [...entries.keys()],
    open: (name) =>
      new Promise((resolve, reject) => {
        const entry = entries.get(name);
        if (!entry) return reject(new Error(`${name} is missing from the bundle`));
        zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream!)));
      }),
    close: () => zip.close(),
  };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** Streams a file once: its hash and size, while a consumer (line or CSV reader) reads the same bytes. */
async function hashWhile(stream: Readable, consume?: (copy: Readable) => Promise<void>): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  const copy = new PassThrough();
  let failed: unknown = null;
  // A consumer that gives up (a line that is not JSON) must not stall the hash: drain the rest.
  const consuming = consume
    ? consume(copy).catch((error: unknown) => {
        failed = error;
        copy.resume();
      })
    : Promise.resolve();
  if (!consume) copy.resume();
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    if (!copy.write(chunk)) await new Promise((r) => copy.once("drain", r));
  }
  copy.end();
  await consuming;
  if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
  return { sha256: hash.digest("hex"), bytes };
}

/** A JSON table: "[", one element per line (a comma after all but the last), "]". */
async function jsonLines(stream: Readable, each?: (value: Record<string, unknown>) => void): Promise<number> {
  let rows = 0;
  for await (const raw of createInterface({ input: stream, crlfDelay: Infinity })) {
    const line = raw.endsWith(",") ? raw.slice(0, -1) : raw;
    if (line === "[" || line === "]" || line === "") continue;
    rows += 1;
    if (each) each(JSON.parse(line) as Record<string, unknown>);
  }
  return rows;
}

export async function verifyBundle(file: string, options: VerifyOptions = {}): Promise<VerifyReport> {
  const checks: VerifyCheck[] = [];
  const warnings: string[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const zip = await openZip(file);
  try {
    const manifestBytes = await readAll(await zip.open("manifest.json"));
    const manifest = manifestSchema.parse(JSON.parse(manifestBytes.toString("utf8")));
    const signature = (await readAll(await zip.open("manifest.sig"))).toString("utf8").trim();
    const checkpoint = checkpointSchema.parse(JSON.parse((await readAll(await zip.open("checkpoint.json"))).toString("utf8")));

    // 1. Whose key: the auditor's, or (with a warning) the one inside the bundle.
    let key: KeyObject;
    if (options.publicKey) key = parsePublicKey(options.publicKey);
    else {
      key = parsePublicKey((await readAll(await zip.open("public-key.pem"))).toString("utf8"));
      warnings.push(
        `Checked with the public key inside the bundle (${keyIdOf(key).slice(0, 16)}…): this proves the bundle is intact, not who made it. Pass --public-key with the key you obtained from Accord.`,
      );
    }
    check("manifest signature", verifyBytes(manifestBytes, signature, key), `Ed25519, key ${keyIdOf(key).slice(0, 16)}…`);

    // 2. Every file's hash, size and rows; nothing unlisted.
    const listed = new Set(manifest.files.map((f) => f.path));
    const extra = zip.names.filter((n) => !listed.has(n) && n !== "manifest.json" && n !== "manifest.sig");
    check("no unlisted files", extra.length === 0, extra.length ? `not in the manifest: ${extra.join(", ")}` : `${zip.names.length} entries`);
    const chain = new ChainChecker(manifest.audit.previousHash);
    const earlier = options.earlierCheckpoint ? checkpointSchema.parse(JSON.parse(options.earlierCheckpoint)) : null;
    let earlierSeen: { hash: string } | null = null;
    const recount = new Map<string, { items: number; decided: number; undecided: number; second: number }>();
    let bad = 0;
    for (const entry of manifest.files) {
      let rows: number | null = null;
      const consume =
        entry.path === "audit/audit_events.json"
          ? async (s: Readable) => {
              rows = await jsonLines(s, (o) => {
                const row = chainRowOf(o);
                if (earlier && row.id === earlier.headId) earlierSeen = { hash: row.hash };
                chain.push(row);
              });
            }
          : entry.path.endsWith(".json") && entry.rows !== null
            ? async (s: Readable) => {
                rows = await jsonLines(s);
              }
            : entry.path === "data/items.csv"
              ? async (s: Readable) => {
                  rows = 0;
                  for await (const r of s.pipe(parse({ columns: true })) as AsyncIterable<Record<string, string>>) {
                    rows += 1;
                    const c = recount.get(r.campaign_id!) ?? { items: 0, decided: 0, undecided: 0, second: 0 };
                    if (r.stage === "1") {
                      c.items += 1;
                      if (r.decided_by_id) c.decided += 1;
                      else c.undecided += 1;
                    } else c.second += 1;
                    recount.set(r.campaign_id!, c);
                  }
                }
              : undefined;
      let got: { sha256: string; bytes: number };
      try {
        got = await hashWhile(await zip.open(entry.path), consume);
      } catch (error) {
        bad += 1;
        check(`file ${entry.path}`, false, (error as Error).message);
        continue;
      }
      const problems = [
        got.sha256 !== entry.sha256 ? `SHA-256 ${got.sha256.slice(0, 16)}… but the manifest says ${entry.sha256.slice(0, 16)}…` : null,
        got.bytes !== entry.bytes ? `${got.bytes} bytes but the manifest says ${entry.bytes}` : null,
        rows !== null && entry.rows !== null && rows !== entry.rows ? `${rows} rows but the manifest says ${entry.rows}` : null,
      ].filter(Boolean);
      if (problems.length) {
        bad += 1;
        check(`file ${entry.path}`, false, problems.join("; "));
      }
    }
    check("file hashes", bad === 0, `${manifest.files.length - bad} of ${manifest.files.length} files match the manifest`);

    // 3. Checkpoint and chain.
    const signed = verifyCheckpoint(checkpoint, key);
    check("checkpoint signature", signed.ok, signed.ok ? `head ${checkpoint.headId} at ${checkpoint.headAt}` : signed.reason);
    check(
      "checkpoint matches manifest",
      checkpoint.headId === manifest.checkpoint.headId && checkpoint.headHash === manifest.checkpoint.headHash && checkpoint.headId === manifest.audit.toId,
      `head ${checkpoint.headId}`,
    );
    const broken = chain.brokenAt;
    check(
      "audit hash chain",
      broken === null && chain.checked === manifest.audit.rows,
      broken ? `broken at event ${broken.id}: ${broken.reason.replaceAll("_", " ")}` : `${chain.checked} events recomputed, ${chain.first?.id ?? "-"} to ${chain.last?.id ?? "-"}`,
    );
    check(
      "chain ends at the checkpoint",
      broken === null && chain.last?.id === checkpoint.headId && chain.last.hash === checkpoint.headHash,
      chain.last ? `last event ${chain.last.id}` : "the segment is empty",
    );

    // 4. An earlier checkpoint: the trail must still pass through it.
    if (earlier) {
      const earlierSigned = verifyCheckpoint(earlier, options.publicKey ? key : undefined);
      if (!options.publicKey && earlier.keyId !== checkpoint.keyId) warnings.push("The earlier checkpoint was signed by a different key than this bundle.");
      check("earlier checkpoint signature", earlierSigned.ok, earlierSigned.ok ? `head ${earlier.headId} at ${earlier.headAt}` : earlierSigned.reason);
      let detail: string;
      let ok: boolean;
      const seen = earlierSeen as { hash: string } | null;
      if (earlier.headId > checkpoint.headId) [ok, detail] = [false, `your checkpoint (head ${earlier.headId}) is newer than this bundle (head ${checkpoint.headId})`];
      else if (manifest.audit.previousId !== null && earlier.headId === manifest.audit.previousId)
        [ok, detail] = [
          manifest.audit.previousHash === earlier.headHash && (chain.first === null || chain.first.prevHash === earlier.headHash),
          `the segment starts right after event ${earlier.headId}`,
        ];
      else if (earlier.headId < manifest.audit.fromId)
        [ok, detail] = [false, `the bundle's audit segment starts at event ${manifest.audit.fromId}, after your checkpoint's ${earlier.headId}: export again reaching back to that checkpoint`];
      else if (!seen) [ok, detail] = [false, `event ${earlier.headId} is not in the bundle's trail`];
      else
        [ok, detail] = [
          seen.hash === earlier.headHash,
          seen.hash === earlier.headHash
            ? `event ${earlier.headId} still has hash ${earlier.headHash.slice(0, 16)}…`
            : `event ${earlier.headId} now has hash ${seen.hash.slice(0, 16)}…, your checkpoint says ${earlier.headHash.slice(0, 16)}…: the trail was rewritten`,
        ];
      check("trail extends the earlier checkpoint", ok && broken === null, detail);
    }

    // 5. Completeness, recounted.
    const completeness = completenessSchema.parse(JSON.parse((await readAll(await zip.open("completeness.json"))).toString("utf8")));
    const wrong: string[] = [];
    for (const c of completeness.campaigns) {
      const counted = recount.get(c.campaignId) ?? { items: 0, decided: 0, undecided: 0, second: 0 };
      if (counted.items !== c.items || counted.decided !== c.decided || counted.undecided !== c.undecided || counted.second !== c.secondStageItems) {
        wrong.push(
          `${c.campaignName}: items.csv has ${counted.items} items (${counted.decided} decided, ${counted.undecided} undecided), completeness.json says ${c.items} (${c.decided}, ${c.undecided})`,
        );
      } else if (c.grantsInScopeAtLaunch === null) wrong.push(`${c.campaignName}: the launch population was not recorded`);
      else if (c.grantsInScopeAtLaunch !== c.items || c.items !== c.decided + c.undecided) {
        wrong.push(`${c.campaignName}: ${c.grantsInScopeAtLaunch} grants in scope at launch, ${c.items} items, ${c.decided} decided + ${c.undecided} undecided`);
      }
    }
    for (const id of recount.keys()) if (!completeness.campaigns.some((c) => c.campaignId === id)) wrong.push(`campaign ${id} is in items.csv but not in completeness.json`);
    const total = completeness.campaigns.reduce((a, c) => a + c.items, 0);
    check(
      "completeness",
      wrong.length === 0,
      wrong.length ? wrong.join("; ") : `${completeness.campaigns.length} campaign(s), ${total} items: grants in scope at launch = items = decided + undecided`,
    );
  } catch (error) {
    check(
      "bundle readable",
      false,
      error instanceof z.ZodError ? `not an Accord evidence bundle: ${error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}` : (error as Error).message,
    );
  } finally {
    zip.close();
  }
  return { ok: checks.every((c) => c.ok), checks, warnings };
}
