import "server-only";
import { getToken } from "next-auth/jwt";
import { env } from "@/lib/env";

const DEV_SECRET = "agent-market-development-secret-not-for-production";

/** The next-auth secret; outside production a fixed development secret keeps `npm run dev` zero-config. */
export function authSecret(): string {
  const e = env();
  if (e.NEXTAUTH_SECRET) return e.NEXTAUTH_SECRET;
  if (e.NODE_ENV === "production" && process.env.NEXT_PHASE !== "phase-production-build") {
    throw new Error("NEXTAUTH_SECRET must be set in production");
  }
  return DEV_SECRET;
}

function cookieMap(header: string | null): Map<string, string> {
  const map = new Map<string, string>();
  if (!header) return map;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    map.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return map;
}

/** The signed-in person's user id from the next-auth JWT session cookie, or null. */
export async function getSessionUserId(req: Request): Promise<string | null> {
  const cookieHeader = req.headers.get("cookie");
  if (!cookieHeader || !cookieHeader.includes("next-auth.session-token")) return null;
  const secure = cookieHeader.includes("__Secure-next-auth.session-token");
  const token = await getToken({
    // Only the cookie: an Authorization header here is an API key, never a session JWT.
    req: { cookies: cookieMap(cookieHeader), headers: {} } as never,
    secret: authSecret(),
    secureCookie: secure,
  });
  const sub = token?.sub;
  return typeof sub === "string" ? sub : null;
}
