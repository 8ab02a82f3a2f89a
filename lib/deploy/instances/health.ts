import "server-only";
import { requestSandbox } from "@/lib/runtime/sandbox";

export interface HealthResult {
  ok: boolean;
  message: string;
  /** The path that answered: the configured one, or /ping for a contract agent without it. */
  path: string;
}

/**
 * One health check of an instance through its socket: the configured path, or the contract's /ping when the agent
 * does not serve that path (404). A 2xx is healthy; anything else, a timeout or a closed socket is a failure.
 */
export async function checkHealth(address: string, configured: string, timeoutMs: number): Promise<HealthResult> {
  const attempt = async (path: string): Promise<HealthResult & { status: number }> => {
    try {
      const res = await requestSandbox({ socketPath: address }, { path, timeoutMs });
      const ok = res.status >= 200 && res.status < 300;
      return {
        ok,
        status: res.status,
        path,
        message: ok ? `${path} answered ${res.status}` : `${path} answered ${res.status}`,
      };
    } catch (err) {
      return { ok: false, status: 0, path, message: `${path}: ${(err as Error).message}` };
    }
  };
  const first = await attempt(configured);
  if (first.status === 404 && configured !== "/ping") return attempt("/ping");
  return first;
}
