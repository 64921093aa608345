import { db } from "@/db/client";
import { currentActor } from "@/lib/auth/current-actor";
import { systemDeps } from "@/lib/domain/deps";
import { uploadInput } from "@/lib/domain/import/batches";
import { MAX_IMPORT_BYTES } from "@/lib/domain/import/kinds";
import { uploadImport } from "@/lib/domain/import/service";
import { mayAdminister } from "@/lib/domain/access/rules";
import { fromError, isSameOrigin, json, notFound, unauthenticated } from "../respond";

export const dynamic = "force-dynamic";

// Room for the form's other fields and the multipart boundaries around the file.
const MAX_BODY_BYTES = MAX_IMPORT_BYTES + 64 * 1024;
const limitMessage = `Files up to ${MAX_IMPORT_BYTES / 2 ** 20} MB can be imported; split larger files.`;

/**
 * Upload an import file (multipart: file, kind, format?, snapshotApplicationId?). A route handler
 * rather than a server action, whose body limit is 1 MB. The file is stored as a batch and
 * checked at once; the answer says whether it is valid, and the page shows the preview.
 */
export async function POST(request: Request) {
  const actor = await currentActor();
  if (!actor) return unauthenticated();
  // Checked again by the service; here so nobody else's 50 MB is read at all.
  if (!mayAdminister(actor)) return notFound();
  if (!isSameOrigin(request)) return json({ code: "FORBIDDEN", message: "Uploads must come from Accord's own pages." }, 403);
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return json({ code: "INVALID", message: limitMessage }, 413);
  try {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      return json({ code: "INVALID", message: "The upload could not be read; choose the file again." }, 400);
    }
    const file = form.get("file");
    if (!(file instanceof File) || file.size === 0) return json({ code: "INVALID", message: "Choose a non-empty file to import.", fieldErrors: { file: ["Choose a file."] } }, 400);
    if (file.size > MAX_IMPORT_BYTES) return json({ code: "INVALID", message: limitMessage }, 413);
    const text = (name: string) => {
      const value = form.get(name);
      return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
    };
    const parsed = uploadInput.safeParse({ kind: text("kind"), format: text("format"), snapshotApplicationId: text("snapshotApplicationId"), filename: file.name.slice(-255) || "upload" });
    if (!parsed.success) {
      const fieldErrors: Record<string, string[]> = {};
      for (const issue of parsed.error.issues) (fieldErrors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
      return json({ code: "INVALID", message: "Some fields need attention.", fieldErrors }, 400);
    }
    const { batchId, outcome } = await uploadImport(systemDeps(db()), actor, { ...parsed.data, content: Buffer.from(await file.arrayBuffer()) });
    return json({ batchId, valid: outcome.ok, rows: outcome.rows, errorCount: outcome.ok ? 0 : outcome.errorCount }, 201);
  } catch (error) {
    return fromError(error, "import upload");
  }
}
