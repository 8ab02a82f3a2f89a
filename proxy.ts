import { NextResponse, type NextRequest } from "next/server";
import { securityHeaders } from "@/lib/security-headers";

/**
 * Runs before every page and API route (Next's proxy, formerly middleware):
 * - an /api path whose percent-encoding does not decode is answered with the one JSON error format here, since
 *   Next would otherwise answer with its HTML error page before any route handler runs;
 * - every response gets the security headers, and pages a Content-Security-Policy with a fresh nonce that Next
 *   puts on its own scripts (it reads the policy from the request headers) and the root layout on the theme script.
 */
export function proxy(req: NextRequest): NextResponse {
  const rawPath = new URL(req.url).pathname;
  const isApi = rawPath.startsWith("/api/") || rawPath === "/api";
  if (isApi && !decodes(rawPath)) {
    return withHeaders(
      NextResponse.json(
        {
          error: "ValidationError",
          message: "The request path is not valid percent-encoded UTF-8",
          details: { fields: { path: "malformed percent-encoding" } },
        },
        { status: 400 },
      ),
      securityHeaders({ api: true }),
    );
  }
  if (isApi) return withHeaders(NextResponse.next(), securityHeaders({ api: true }));

  const nonce = btoa(crypto.randomUUID());
  const headers = securityHeaders({
    api: false,
    nonce,
    dev: process.env.NODE_ENV !== "production",
    https: isHttps(req),
  });
  const requestHeaders = new Headers(req.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", headers["Content-Security-Policy"]!);
  return withHeaders(NextResponse.next({ request: { headers: requestHeaders } }), headers);
}

function decodes(path: string): boolean {
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

function isHttps(req: NextRequest): boolean {
  return req.nextUrl.protocol === "https:" || req.headers.get("x-forwarded-proto") === "https";
}

function withHeaders(res: NextResponse, headers: Record<string, string>): NextResponse {
  for (const [k, v] of Object.entries(headers)) res.headers.set(k, v);
  return res;
}

export const config = {
  // Everything but Next's own static files (immutable, served before any page or route).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
