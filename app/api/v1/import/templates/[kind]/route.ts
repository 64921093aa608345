import { currentActor } from "@/lib/auth/current-actor";
import { importTemplateParams } from "@/lib/api/contracts";
import { templateCsv, templateFilename } from "@/lib/domain/import/template";
import { notFound, unauthenticated } from "../../respond";

export const dynamic = "force-dynamic";

/** The CSV header Accord expects for a kind and one example row. Any signed-in person may read it. */
export async function GET(_request: Request, { params }: { params: Promise<{ kind: string }> }) {
  if (!(await currentActor())) return unauthenticated();
  const parsed = importTemplateParams.safeParse(await params);
  if (!parsed.success) return notFound();
  const { kind } = parsed.data;
  return new Response(templateCsv(kind), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${templateFilename(kind)}"`,
      "Cache-Control": "no-store",
    },
  });
}
