import "server-only";
import { encode, getToken, type JWT } from "next-auth/jwt";
import { authSecret } from "./secret";

export { authSecret } from "./secret";

/** How long a session cookie lives (next-auth's `session.maxAge`). */
export const SESSION_MAX_AGE_S = 30 * 24 * 3600;

const COOKIE = "next-auth.session-token";
const SECURE_COOKIE = `__Secure-${COOKIE}`;

/** What a session JWT says: whose it is and which session version it was issued under. */
export interface SessionClaims {
  userId: string;
  /** users.session_version when the cookie was issued; a sign-out or password change bumps the row's. */
  sessionVersion: number;
  token: JWT;
  /** The cookie came as `__Secure-next-auth.session-token` (HTTPS). */
  secure: boolean;
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

/**
 * The claims of the request's session cookie when it is a JWT this app signed, still in date, carrying a user
 * id and a session version; null otherwise. Does not look at the database: lib/auth/resolve.ts checks the version.
 */
export async function readSessionClaims(req: Request): Promise<SessionClaims | null> {
  const cookieHeader = req.headers.get("cookie");
  if (!cookieHeader || !cookieHeader.includes(COOKIE)) return null;
  const secure = cookieHeader.includes(SECURE_COOKIE);
  const token = await getToken({
    // Only the cookie: an Authorization header here is an API key, never a session JWT.
    req: { cookies: cookieMap(cookieHeader), headers: {} } as never,
    secret: authSecret(),
    secureCookie: secure,
  });
  const sub = token?.sub;
  const sv = (token as { sv?: unknown } | null)?.sv;
  // A token without a version predates server-side sign-out (or was not issued by our callbacks): not a session.
  if (!token || typeof sub !== "string" || typeof sv !== "number" || !Number.isInteger(sv)) return null;
  return { userId: sub, sessionVersion: sv, token, secure };
}

/**
 * A Set-Cookie header value carrying a fresh session JWT for the same person under a new session version,
 * in the cookie next-auth itself would set (so the browser that changed its password stays signed in).
 */
export async function sessionCookieHeader(claims: SessionClaims, sessionVersion: number): Promise<string> {
  const token: JWT = { ...claims.token, sv: sessionVersion };
  delete token.exp;
  delete token.iat;
  delete token.jti;
  const value = await encode({ token, secret: authSecret(), maxAge: SESSION_MAX_AGE_S });
  const expires = new Date(Date.now() + SESSION_MAX_AGE_S * 1000).toUTCString();
  const name = claims.secure ? SECURE_COOKIE : COOKIE;
  return `${name}=${value}; Path=/; Expires=${expires}; HttpOnly; SameSite=Lax${claims.secure ? "; Secure" : ""}`;
}
