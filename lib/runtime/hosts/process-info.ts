import "server-only";
import fs from "node:fs";
import net from "node:net";

/** A free TCP port on loopback, chosen by the OS. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether `pid` still runs `argv` (a pid can be reused by an unrelated program after the original died).
 * Linux reads /proc; elsewhere only liveness can be checked.
 */
export function pidRuns(pid: number, argv: readonly string[]): boolean {
  if (!pidAlive(pid)) return false;
  let raw: string;
  try {
    raw = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
  } catch {
    return process.platform !== "linux";
  }
  const actual = raw.split("\0").filter(Boolean);
  if (actual.length !== argv.length) return false;
  // The program may have been resolved through PATH (node -> /usr/bin/node): compare its basename.
  const base = (s: string) => s.slice(s.lastIndexOf("/") + 1);
  return actual.every((a, i) => (i === 0 ? base(a) === base(argv[0] ?? "") : a === argv[i]));
}

export async function ping(endpoint: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/ping`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return false;
    const body = (await res.json()) as { status?: string };
    return body.status === "Healthy" || body.status === "HealthyBusy";
  } catch {
    return false;
  }
}

/** Sends a signal, re-checking the command line first: never signal a pid that now belongs to another program. */
export function signalIfRuns(pid: number, argv: string[], sig: NodeJS.Signals): void {
  if (!pidRuns(pid, argv)) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
