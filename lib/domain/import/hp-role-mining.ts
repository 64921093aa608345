import { createReadStream, createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { csvLine } from "./template";

/**
 * Converts an HP Labs role-mining user-permission file (Ene et al., SACMAT 2008: one
 * "<user_id> <permission_id>" pair a line) into Accord's import files: identities,
 * one application "HP <dataset>", its entitlements (one per permission) and standing grants.
 * The ids are anonymous integers, so people and permissions get synthetic names.
 */

export interface HpConversion {
  dataset: string;
  application: string;
  source: string;
  users: number;
  permissions: number;
  assignments: number;
  /** Lines that repeated an earlier pair (skipped: a grant is held once). */
  duplicates: number;
  files: { identities: string; applications: string; entitlements: string; grants: string };
}

export class HpFormatError extends Error {}

export const hpNames = (dataset: string) => ({ application: `HP ${dataset}`, source: `hp:${dataset}` });

async function writeCsv(file: string, header: string[], rows: Iterable<string[]>) {
  const out = createWriteStream(file);
  out.write(csvLine(header));
  for (const row of rows) if (!out.write(csvLine(row))) await once(out, "drain");
  out.end();
  await once(out, "finish");
}

export async function convertHpRoleMining(input: string, outDir: string, dataset = path.basename(input).replace(/\.[^.]+$/, "")): Promise<HpConversion> {
  const users = new Set<number>();
  const permissions = new Set<number>();
  const pairs = new Map<number, Set<number>>();
  let assignments = 0;
  let duplicates = 0;
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(input), crlfDelay: Infinity })) {
    line++;
    const trimmed = text.trim();
    if (!trimmed) continue;
    const match = /^(\d+)\s+(\d+)$/.exec(trimmed);
    if (!match) throw new HpFormatError(`${input}:${line}: expected "<user_id> <permission_id>", got "${trimmed.slice(0, 80)}"`);
    const user = Number(match[1]);
    const permission = Number(match[2]);
    users.add(user);
    permissions.add(permission);
    let held = pairs.get(user);
    if (!held) pairs.set(user, (held = new Set()));
    if (held.has(permission)) duplicates++;
    else {
      held.add(permission);
      assignments++;
    }
  }
  if (assignments === 0) throw new HpFormatError(`${input}: no user-permission pairs found`);

  const { application, source } = hpNames(dataset);
  await mkdir(outDir, { recursive: true });
  const files = {
    identities: path.join(outDir, "identities.csv"),
    applications: path.join(outDir, "applications.csv"),
    entitlements: path.join(outDir, "entitlements.csv"),
    grants: path.join(outDir, "grants.csv"),
  };
  const byNumber = (set: Iterable<number>) => [...set].sort((a, b) => a - b);
  await writeCsv(
    files.identities,
    ["external_id", "source", "type", "display_name", "user_name", "department"],
    byNumber(users).map((u) => [`u${u}`, source, "employee", `HP ${dataset} user ${u}`, `${dataset}-u${u}`, `HP ${dataset}`]),
  );
  await writeCsv(
    files.applications,
    ["external_id", "source", "name", "description", "risk_tier"],
    [[dataset, source, application, `HP Labs role-mining data set "${dataset}" (Ene et al., SACMAT 2008), anonymised`, "medium"]],
  );
  await writeCsv(
    files.entitlements,
    ["application", "name", "external_id", "kind", "description"],
    byNumber(permissions).map((p) => [application, `p${p}`, String(p), "permission", `Permission ${p} of the HP ${dataset} data set`]),
  );
  await writeCsv(
    files.grants,
    ["identity_external_id", "identity_source", "application", "entitlement", "kind"],
    (function* () {
      for (const user of byNumber(pairs.keys())) for (const p of byNumber(pairs.get(user)!)) yield [`u${user}`, source, application, `p${p}`, "standing"];
    })(),
  );
  return { dataset, application, source, users: users.size, permissions: permissions.size, assignments, duplicates, files };
}
