import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { Invalid } from "@/lib/errors";

/** The control mapping admins extend: config/control-mapping.json (README "Evidence export"). */
export const CONTROL_MAPPING_FILE = path.join("config", "control-mapping.json");

const control = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  coverage: z.enum(["full", "partial", "none"]),
  answeredBy: z.array(z.string().min(1)),
  how: z.string().min(1),
});

export const controlMappingSchema = z
  .object({
    version: z.literal(1),
    note: z.string().optional(),
    evidence: z.record(z.string(), z.string().min(1)),
    frameworks: z.array(z.object({ id: z.string().min(1), name: z.string().min(1), controls: z.array(control).min(1) })).min(1),
  })
  .superRefine((mapping, ctx) => {
    mapping.frameworks.forEach((f, fi) =>
      f.controls.forEach((c, ci) =>
        c.answeredBy.forEach((part, pi) => {
          if (!(part in mapping.evidence)) {
            ctx.addIssue({ code: "custom", path: ["frameworks", fi, "controls", ci, "answeredBy", pi], message: `${f.id} ${c.id} names "${part}", which is not a key of "evidence"` });
          }
        }),
      ),
    );
  });

export type ControlMapping = z.infer<typeof controlMappingSchema>;

export function parseControlMapping(text: string): ControlMapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Invalid(`${CONTROL_MAPPING_FILE} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = controlMappingSchema.safeParse(json);
  if (!parsed.success) {
    throw new Invalid(`${CONTROL_MAPPING_FILE} is not a valid control mapping: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return parsed.data;
}

/** Read on every export, so an admin's edit applies without a restart. */
export async function loadControlMapping(file = path.join(process.cwd(), CONTROL_MAPPING_FILE)): Promise<{ mapping: ControlMapping; text: string }> {
  const text = await readFile(file, "utf8");
  return { mapping: parseControlMapping(text), text };
}
