import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import fs from "node:fs";
import net from "node:net";

/** Every child the bench starts, so that one cleanup (or a signal) can end them all. */
const children = new Set<ChildProcess>();

/**
 * Starts a command in its own process group (so that it and its children can be ended together), with the
 * file-descriptor limit raised to the hard limit: 10,000 sockets need more than the usual 1,024.
 */
export function startProcess(
  command: string,
  args: string[],
  opts: SpawnOptions & { log?: string } = {},
): ChildProcess {
  const quoted = [command, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ");
  const out = opts.log ? fs.openSync(opts.log, "a") : "ignore";
  const child = spawn("bash", ["-c", `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${quoted}`], {
    detached: true,
    stdio: opts.stdio ?? ["ignore", out, out],
    ...opts,
  });
  children.add(child);
  child.on("exit", () => children.delete(child));
  return child;
}

/** Ends a child's whole process group: SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timer = new Promise<"late">((r) => setTimeout(() => r("late"), graceMs).unref());
  if ((await Promise.race([exited, timer])) === "late") {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      // already gone
    }
    await exited;
  }
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stopProcess(c, 3_000)));
}

/** A port that was free a moment ago on loopback (next start takes a port number, not 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx (or the deadline passes). */
export async function waitForHttp(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms (${last})`);
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

/** Runs a command to completion, output to a log file; rejects on a non-zero exit. */
export function runToEnd(command: string, args: string[], opts: SpawnOptions & { log: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = startProcess(command, args, opts);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}; see ${opts.log}`)),
    );
  });
}
