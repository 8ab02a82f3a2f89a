/**
 * Where to send someone after sign-in: only a path on this site. Shared by the sign-in form (browser) and
 * next-auth's `redirect` callback (server), so it imports nothing server-only.
 *
 * Refused, falling back to `/`: anything not starting with one `/` (`https://evil`, `//evil`, `javascript:`),
 * a backslash (`/\evil`: browsers read `\` as `/`), control characters (`/\t/evil`: the URL parser drops tabs
 * and newlines, turning it into `//evil`), and the same tricks percent-encoded (`/%5Cevil`, `/%2F%2Fevil`),
 * because some layer may decode once more before the browser sees it.
 */
const MAX_LENGTH = 2048;
const FALLBACK = "/";
const PROBE_ORIGIN = "http://probe.invalid";
const UNSAFE_CHARS = /[\u0000-\u001f\u007f\\]/;

function safeLayers(raw: string): boolean {
  if (UNSAFE_CHARS.test(raw)) return false;
  // Every decoding of the path part must itself be a plain path; a few rounds cover any double encoding.
  // (The query and fragment may hold encoded slashes: they cannot change where the browser goes.)
  let layer = raw.split(/[?#]/, 1)[0] ?? "";
  for (let round = 0; round < 5; round++) {
    if (UNSAFE_CHARS.test(layer) || !layer.startsWith("/") || layer.startsWith("//")) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(layer);
    } catch {
      return false; // malformed percent-encoding
    }
    if (decoded === layer) return true;
    layer = decoded;
  }
  return false;
}

/**
 * A same-origin path (`/jobs/1?x=2#top`) for `raw`, or `/`. With `origin` (the app's, e.g. next-auth's baseUrl),
 * an absolute URL on that origin is accepted and reduced to its path.
 */
export function safeCallbackUrl(raw: unknown, origin?: string): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_LENGTH) return FALLBACK;
  let path = raw;
  if (origin && !raw.startsWith("/")) {
    let url: URL;
    try {
      url = new URL(raw);
      if (url.origin !== new URL(origin).origin) return FALLBACK;
    } catch {
      return FALLBACK;
    }
    path = url.pathname + url.search + url.hash;
  }
  if (!safeLayers(path)) return FALLBACK;
  let resolved: URL;
  try {
    resolved = new URL(path, PROBE_ORIGIN);
  } catch {
    return FALLBACK;
  }
  // What a browser would make of it: still our origin, and a path that does not read as `//host` either.
  if (resolved.origin !== PROBE_ORIGIN || resolved.pathname.startsWith("//")) return FALLBACK;
  return resolved.pathname + resolved.search + resolved.hash;
}
