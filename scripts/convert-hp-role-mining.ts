/**
 * Converts an HP Labs role-mining data set (../shared/samples/role-mining-hp/*.txt, one
 * "<user_id> <permission_id>" pair a line) into Accord import files:
 *
 *   npx tsx scripts/convert-hp-role-mining.ts <input.txt> <outdir> [--dataset <name>]
 *
 * writes identities.csv, applications.csv (one application "HP <dataset>"), entitlements.csv
 * and grants.csv. Import them in that order (docs/import.md, "HP role-mining data").
 */
import { parseArgs } from "node:util";
import { convertHpRoleMining, HpFormatError } from "@/lib/domain/import/hp-role-mining";

const { values, positionals } = parseArgs({ allowPositionals: true, options: { dataset: { type: "string" } } });
const [input, outDir] = positionals;
if (!input || !outDir || positionals.length > 2) {
  process.stderr.write("Usage: npx tsx scripts/convert-hp-role-mining.ts <input.txt> <outdir> [--dataset <name>]\n");
  process.exit(2);
}

try {
  const result = await convertHpRoleMining(input, outDir, values.dataset);
  const n = (x: number) => x.toLocaleString("en");
  process.stdout.write(
    `Converted ${input} (${result.dataset}): ${n(result.users)} users, ${n(result.permissions)} permissions, ${n(result.assignments)} assignments` +
      `${result.duplicates ? ` (${n(result.duplicates)} repeated lines skipped)` : ""}.\n` +
      `Import in this order:\n` +
      ["identities", "applications", "entitlements", "grants"].map((kind) => `  npm run accord -- import ${kind} ${result.files[kind as keyof typeof result.files]}\n`).join(""),
  );
} catch (error) {
  process.stderr.write(`convert-hp-role-mining: ${error instanceof HpFormatError ? error.message : String((error as Error).stack ?? error)}\n`);
  process.exit(1);
}
