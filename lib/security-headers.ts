/**
 * The security headers of every response (applied by the root `proxy.ts`).
 * Pages get a nonce-based Content-Security-Policy: scripts run only with the request's nonce (Next adds it to its
 * own; `'strict-dynamic'` lets those load their chunks), nothing may frame the app, and forms post only to us.
 * Styles allow inline attributes, which React renders for dynamic sizes (charts, progress bars); no script can
 * come through them. Development adds `'unsafe-eval'`, which Next's dev runtime needs and production never gets.
 * API responses are data, never documents: `default-src 'none'` so a response opened in a browser runs nothing.
 */
export function securityHeaders(opts: {
  api: boolean;
  nonce?: string;
  dev?: boolean;
  https?: boolean;
}): Record<string, string> {
  const common: Record<string, string> = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (opts.https) common["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  if (opts.api) {
    return { ...common, "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'" };
  }
  const script = [`'self'`, `'nonce-${opts.nonce}'`, `'strict-dynamic'`, ...(opts.dev ? [`'unsafe-eval'`] : [])];
  const csp = [
    `default-src 'self'`,
    `script-src ${script.join(" ")}`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data: blob:`,
    `font-src 'self' data:`,
    `connect-src 'self'${opts.dev ? " ws: wss:" : ""}`,
    `object-src 'none'`,
    `base-uri 'self'`,
    `form-action 'self'`,
    `frame-ancestors 'none'`,
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
  return { ...common, "Content-Security-Policy": csp };
}
