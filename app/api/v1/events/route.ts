import { db } from "@/db/client";
import { ingestRoute } from "@/lib/api/ingest-route";
import { systemDeps } from "@/lib/domain/deps";

export const dynamic = "force-dynamic";
// A large upload is read for as long as it streams in.
export const maxDuration = 900;

/** Evidence ingest (NDJSON, scope events:write); see lib/api/ingest-route.ts and the README. */
export const POST = ingestRoute(() => systemDeps(db()));
