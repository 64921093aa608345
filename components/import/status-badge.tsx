import { Badge, type Tone } from "@/components/ui/badge";

const labels: Record<string, [string, Tone]> = {
  uploaded: ["checking", "info"],
  invalid: ["invalid · nothing imported", "bad"],
  previewed: ["checked · not imported yet", "warn"],
  applying: ["importing", "info"],
  applied: ["imported", "good"],
  failed: ["failed · nothing imported", "bad"],
};

/** An import batch's status in words (never colour alone). */
export function ImportStatusBadge({ status }: { status: string }) {
  const [label, tone] = labels[status] ?? [status, "neutral"];
  return <Badge tone={tone}>{label}</Badge>;
}
