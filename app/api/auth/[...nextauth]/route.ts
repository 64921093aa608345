import NextAuth from "next-auth";
import { NextResponse } from "next/server";
import { clientAddress, RateLimiter } from "@/lib/http/rate-limit";
import { authOptions } from "@/lib/auth/options";

// Options are built per request so configuration is read at run time, not at build time.
type Context = { params: Promise<{ nextauth: string[] }> };
const handler = (req: Request, context: Context) => NextAuth(authOptions())(req, context);

// Sign-in attempts per client address: enough for people, too few for guessing or flooding.
const signInAttempts = new RateLimiter(30, 60_000);

async function POST(req: Request, context: Context) {
  const wait = signInAttempts.take(clientAddress(req.headers));
  if (wait) return NextResponse.json({ error: "Too many sign-in attempts; try again shortly." }, { status: 429, headers: { "retry-after": String(wait) } });
  return handler(req, context);
}

export { handler as GET, POST };
