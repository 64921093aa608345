import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";

// Options are built per request so configuration is read at run time, not at build time.
type Context = { params: Promise<{ nextauth: string[] }> };
const handler = (req: Request, context: Context) => NextAuth(authOptions())(req, context);

export { handler as GET, handler as POST };
