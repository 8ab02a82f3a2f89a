import "server-only";
import http from "node:http";
import type { Sandbox } from "./types";

/** The host's side of a sandbox's agent: HTTP through the Unix socket the sandbox's relay listens on. */

/** One HTTP request to the agent through its socket; resolves with status and body text. */
export function requestSandbox(
  sandbox: Pick<Sandbox, "socketPath">,
  opts: { method?: string; path: string; body?: string; timeoutMs?: number; headers?: Record<string, string> },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        socketPath: sandbox.socketPath,
        method: opts.method ?? "GET",
        path: opts.path,
        headers: { ...(opts.body !== undefined ? { "content-type": "application/json" } : {}), ...opts.headers },
        timeout: opts.timeoutMs ?? 5_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** Polls the agent's `/ping` through the socket until it answers 200, or the sandbox ends, or `timeoutMs` passes. */
export async function waitReady(sandbox: Sandbox, timeoutMs = 10_000): Promise<boolean> {
  let ended = false;
  void sandbox.exited.then(() => (ended = true));
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  while (!ended && Date.now() < deadline) {
    try {
      if ((await requestSandbox(sandbox, { path: "/ping", timeoutMs: 1_000 })).status === 200) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 1.5, 100);
  }
  return false;
}
