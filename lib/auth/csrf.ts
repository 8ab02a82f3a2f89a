import "server-only";
import { forbidden } from "@/lib/api/errors";
import { env } from "@/lib/env";

/**
 * Cross-site request forgery. A browser attaches the session cookie to any request to this site, including one
 * that another site's page makes; what it cannot fake is where the request comes from (`Origin`,
 * `Sec-Fetch-Site`). So a state change that the session cookie authenticates must prove it comes from our own
 * pages. API-key requests carry their credential explicitly and are not affected.
 */

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * The origins this app is served from: NEXTAUTH_URL's when it is set (the canonical address, required behind
 * a proxy), else the request's own (its URL, and the Host it was addressed to).
 */
export function appOrigins(req: Request): string[] {
  const configured = env().NEXTAUTH_URL;
  if (configured) return [new URL(configured).origin];
  const url = new URL(req.url);
  const origins = [url.origin];
  const host = req.headers.get("host");
  if (host) {
    try {
      origins.push(new URL(`${url.protocol}//${host}`).origin);
    } catch {
      // A malformed Host names no origin of ours.
    }
  }
  return origins;
}

type Verdict = { ok: true } | { ok: false; reason: string };

/**
 * What the browser says about where a request comes from. `strict`: the request must prove it is same-origin
 * (a cookie-authenticated state change); otherwise it only must not be shown to be cross-site (public forms
 * such as sign-up, which non-browser clients call without these headers).
 */
export function originVerdict(req: Request, strict: boolean): Verdict {
  const site = req.headers.get("sec-fetch-site")?.trim().toLowerCase();
  if (site === "cross-site" || site === "same-site") return { ok: false, reason: `Sec-Fetch-Site is ${site}` };
  if (site === "same-origin") return { ok: true };
  const origin = req.headers.get("origin");
  if (origin === null) return strict ? { ok: false, reason: "no Origin or Sec-Fetch-Site header" } : { ok: true };
  if (appOrigins(req).includes(origin.trim())) return { ok: true };
  return { ok: false, reason: `Origin ${JSON.stringify(origin.slice(0, 200))} is not this site` };
}

function refuse(reason: string): never {
  throw forbidden("Cross-site request refused: a request made in a person's name must come from this site's pages", {
    reason,
  });
}

/** For a request the session cookie authenticates: any state change must come from our own origin (403). */
export function assertCookieRequestSameOrigin(req: Request): void {
  if (isSafeMethod(req.method)) return;
  const verdict = originVerdict(req, true);
  if (!verdict.ok) refuse(verdict.reason);
}

/** For public state changes a browser makes (sign-up, next-auth's forms): refuses requests shown to be cross-site. */
export function assertNotCrossSite(req: Request): void {
  if (isSafeMethod(req.method)) return;
  const verdict = originVerdict(req, false);
  if (!verdict.ok) refuse(verdict.reason);
}
