import NextAuth from "next-auth";
import { errorResponse } from "@/lib/api/errors";
import { ApiError } from "@/lib/api/errors";
import { assertNotCrossSite } from "@/lib/auth/csrf";
import { authOptions } from "@/lib/auth/options";
import { enforceSignInLimit } from "@/lib/auth/rate-limit";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ nextauth: string[] }> };

async function handle(req: Request, ctx: Ctx): Promise<Response> {
  const handler = NextAuth(authOptions()) as (req: Request, ctx: Ctx) => Promise<Response>;
  return handler(req, ctx);
}

// GET /api/auth/* - next-auth: session, csrf, providers, OAuth callbacks
export const GET = handle;

// POST /api/auth/* - next-auth: sign in (rate limited per address), sign out (ends the session server-side)
export async function POST(req: Request, ctx: Ctx): Promise<Response> {
  const { nextauth } = await ctx.params;
  try {
    // next-auth checks its own CSRF token on these forms; a request a browser marks as cross-site is refused
    // before that, too (sign-in and sign-out forced on a visitor by another site).
    assertNotCrossSite(req);
    if (nextauth[0] === "callback" || nextauth[0] === "signin") await enforceSignInLimit(req);
  } catch (err) {
    if (err instanceof ApiError) return errorResponse(err);
    throw err;
  }
  return handle(req, ctx);
}
