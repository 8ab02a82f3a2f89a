import "server-only";
import http from "node:http";
import https from "node:https";
import { Webhook } from "standardwebhooks";
import { checkUrlForm, pinnedLookup, RefusedUrl, resolveChecked, type SsrfPolicy } from "./ssrf";

/**
 * One signed POST (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` over
 * `id.timestamp.body` with HMAC-SHA256, by the `standardwebhooks` library) to a URL the SSRF guard accepted, on the
 * address it checked, with a short timeout, never following a redirect.
 */

export interface PostResult {
  outcome: "delivered" | "failed" | "refused" | "gone";
  statusCode: number | null;
  error: string | null;
}

export async function postSigned(opts: {
  url: string;
  secret: string;
  messageId: string;
  body: string;
  policy: SsrfPolicy;
  timeoutMs: number;
  /** Default application/json. */
  contentType?: string;
  /** Sent besides the signature headers (e.g. A2A's X-A2A-Notification-Token); they cannot replace those. */
  headers?: Record<string, string>;
}): Promise<PostResult> {
  let target: { address: string; family: number };
  let url: URL;
  try {
    url = checkUrlForm(opts.url, opts.policy);
    target = await resolveChecked(url, opts.policy);
  } catch (err) {
    if (err instanceof RefusedUrl) return { outcome: "refused", statusCode: null, error: err.message };
    return { outcome: "failed", statusCode: null, error: `could not resolve: ${(err as Error).message}` };
  }
  const now = new Date();
  const signature = new Webhook(opts.secret).sign(opts.messageId, now, opts.body);
  const headers = {
    ...opts.headers,
    "content-type": opts.contentType ?? "application/json",
    "content-length": String(Buffer.byteLength(opts.body)),
    "user-agent": "AgentMarket-Webhooks/1",
    "webhook-id": opts.messageId,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": signature,
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise<PostResult>((resolve) => {
    const req = client.request(
      url,
      { method: "POST", headers, lookup: pinnedLookup(target), timeout: opts.timeoutMs, agent: false },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        clearTimeout(overall);
        if (code >= 200 && code < 300) resolve({ outcome: "delivered", statusCode: code, error: null });
        else if (code === 410) resolve({ outcome: "gone", statusCode: code, error: "the receiver answered 410 Gone" });
        else if (code >= 300 && code < 400) {
          resolve({ outcome: "failed", statusCode: code, error: "redirects are not followed" });
        } else resolve({ outcome: "failed", statusCode: code, error: `the receiver answered ${code}` });
      },
    );
    // `timeout` is for an idle socket; the whole attempt is bounded too.
    const overall = setTimeout(() => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on("timeout", () => req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`)));
    req.on("error", (err) => {
      clearTimeout(overall);
      resolve({ outcome: "failed", statusCode: null, error: err.message });
    });
    req.end(opts.body);
  });
}
