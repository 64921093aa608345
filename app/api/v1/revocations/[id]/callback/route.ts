import { NextResponse, type NextRequest } from "next/server";
import { db } from "@/db/client";
import { clientAddress, RateLimiter } from "@/lib/http/rate-limit";
import { systemDeps } from "@/lib/domain/deps";
import { receiveRevocationCallback } from "@/lib/domain/revocations/callback";

const MAX_BODY_BYTES = 64 * 1024;
const perAddress = new RateLimiter(120, 60_000);

/** A webhook connector's receiver confirms (or reports failing) a revocation. See receiveRevocationCallback. */
export async function POST(request: NextRequest, { params }: { params: Promise<{ id: string }> }) {
  const wait = perAddress.take(clientAddress(request.headers));
  if (wait) return NextResponse.json({ error: { code: "RATE_LIMITED", message: "Too many requests; slow down." } }, { status: 429, headers: { "retry-after": String(wait) } });
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY_BYTES) return NextResponse.json({ error: { code: "TOO_LARGE", message: "The body is larger than 64 KB." } }, { status: 413 });
  const { id } = await params;
  const body = await request.text();
  if (body.length > MAX_BODY_BYTES) return NextResponse.json({ error: { code: "TOO_LARGE", message: "The body is larger than 64 KB." } }, { status: 413 });
  try {
    const answer = await receiveRevocationCallback(systemDeps(db()), {
      revocationId: id,
      authorization: request.headers.get("authorization"),
      signature: { id: request.headers.get("webhook-id"), timestamp: request.headers.get("webhook-timestamp"), signature: request.headers.get("webhook-signature") },
      body,
    });
    return NextResponse.json(answer.body, { status: answer.status });
  } catch (error) {
    console.error("[revocation callback]", error);
    return NextResponse.json({ error: { code: "INTERNAL", message: "Something went wrong; nothing was changed." } }, { status: 500 });
  }
}
