import "server-only";
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import readline from "node:readline";
import { env } from "@/lib/env";
import { artifactArgv, listArtifacts, resolveArtifact } from "../artifacts";
import { LogBuffer } from "../logs";
import { patchHostState } from "../lifecycle";
import type { ExecutionRow, Host, Observation, Reporter, StartResult, StartSpec } from "../types";
import { HostStartError } from "../types";
import { childEnvironment } from "./local-env";
import { freePort, ping, pidAlive, pidRuns, signalIfRuns } from "./process-info";
import { log } from "@/lib/log";

/** What survives an app restart in executions.host_state. */
interface LocalState {
  pid?: number;
  port?: number;
  argv?: string[];
  owner_pid?: number;
  hostname?: string;
}

interface Handle {
  id: string;
  pid: number;
  argv: string[];
  endpoint: string;
  child: ChildProcess | null; // null when re-attached after a restart
  logs: LogBuffer | null;
  state: Observation;
  stopping: boolean;
  closed: boolean;
  timers: Set<ReturnType<typeof setTimeout>>;
}

const NEVER_STARTED_AFTER_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Local host: one child process per execution, on a free loopback port. */
export class LocalHost implements Host {
  readonly kind = "local" as const;
  private readonly handles = new Map<string, Handle>();
  /** Executions between insert and spawn in this process: the reconciler leaves them alone. */
  readonly pendingStarts = new Set<string>();

  constructor(private readonly report: Reporter) {}

  async start({ execution, agent, runtime, secrets }: StartSpec): Promise<StartResult> {
    if (runtime.kind !== "local") throw new HostStartError("not a local runtime");
    // Only an artifact the operator installed runs, with its manifest's entrypoint (lib/runtime/artifacts.ts).
    const artifact = resolveArtifact(runtime.artifact);
    if (!artifact) {
      throw new HostStartError(
        `The artifact ${runtime.artifact} is not installed on this host (installed: ${[...listArtifacts().keys()].join(", ") || "none"})`,
      );
    }
    const port = await freePort();
    const argv = artifactArgv(artifact);
    const child = spawn(argv[0], argv.slice(1), {
      cwd: artifact.dir,
      env: childEnvironment({ execution, agent }, port, secrets ?? {}) as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (err) =>
        reject(new HostStartError(`could not start the artifact ${artifact.name}: ${err.message}`)),
      );
    });
    const pid = child.pid as number;
    const logs = new LogBuffer(execution.id);
    const h: Handle = {
      id: execution.id,
      pid,
      argv,
      endpoint: `http://127.0.0.1:${port}`,
      child,
      logs,
      state: { status: "starting" },
      stopping: false,
      closed: false,
      timers: new Set(),
    };
    this.handles.set(h.id, h);
    logs.push("system", `started artifact ${artifact.name} (pid ${pid}, port ${port})`);
    readline.createInterface({ input: child.stdout! }).on("line", (l) => {
      logs.push("stdout", l);
      // A program that says it listens is pinged at once rather than at the next poll.
      if (h.state.status === "starting" && /listening/i.test(l)) void this.tryHealthy(h);
    });
    readline.createInterface({ input: child.stderr! }).on("line", (l) => logs.push("stderr", l));
    child.once("close", (code, signal) => void this.onExit(h, code, signal));
    void this.waitHealthy(h);
    const state: LocalState = { pid, port, argv, owner_pid: process.pid, hostname: os.hostname() };
    return { taskArn: null, hostState: { ...state } };
  }

  /** Polls /ping until the agent answers: that is when the execution is `running`. */
  private async waitHealthy(h: Handle): Promise<void> {
    let delay = 10;
    while (!h.closed && h.state.status === "starting") {
      if (await this.tryHealthy(h)) return;
      await sleep(delay);
      delay = Math.min(delay * 1.5, 50);
    }
  }

  /** One /ping; the first success (of the poll loop or a "listening" hint) records `running`. */
  private async tryHealthy(h: Handle): Promise<boolean> {
    if (!(await ping(h.endpoint, 500))) return false;
    if (h.closed || h.state.status !== "starting") return true;
    h.state = { status: "running", endpoint: h.endpoint };
    await this.safeReport(h.id, { ...h.state, log: `healthy at ${h.endpoint}` });
    return true;
  }

  private async onExit(h: Handle, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    if (h.closed) return;
    h.closed = true;
    for (const t of h.timers) clearTimeout(t);
    await h.logs?.flush();
    const how = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
    let obs: Observation;
    if (h.stopping) obs = { status: "stopped", exitCode: code, log: `process ${how}` };
    else if (code === 0) obs = { status: "completed", exitCode: 0, log: `process ${how}` };
    else obs = { status: "failed", exitCode: code, stoppedReason: `Process ${how}`, log: `process ${how}` };
    h.state = obs;
    await this.safeReport(h.id, obs);
    this.handles.delete(h.id);
  }

  private async safeReport(id: string, obs: Observation): Promise<void> {
    try {
      await this.report(id, obs);
    } catch (err) {
      // The reconciler's next sweep sees the same state through describe() and retries.
      log().error({ err, execution: id, status: obs.status }, "could not record an execution status");
    }
  }

  async describe(rows: ExecutionRow[]): Promise<Map<string, Observation>> {
    const out = new Map<string, Observation>();
    for (const row of rows) {
      const h = this.handles.get(row.id);
      if (h) {
        if (h.state.status !== row.status) out.set(row.id, h.state);
        continue;
      }
      if (this.pendingStarts.has(row.id)) continue;
      const st = row.hostState as LocalState;
      if (!st.pid || !st.argv) {
        if (Date.now() - row.startTime.getTime() > NEVER_STARTED_AFTER_MS) {
          out.set(row.id, {
            status: "failed",
            stoppedReason: "The agent process was never started",
            log: "never started",
          });
        }
        continue;
      }
      // Another machine's process, or one another live app process is watching: not ours to judge.
      if (st.hostname && st.hostname !== os.hostname()) continue;
      if (st.owner_pid && st.owner_pid !== process.pid && pidAlive(st.owner_pid)) continue;
      if (pidRuns(st.pid, st.argv)) {
        await this.adopt(row, st);
      } else {
        out.set(row.id, {
          status: "failed",
          stoppedReason: "The agent process ended while the app was not watching it; its exit code is unknown",
          log: `process ${st.pid} is gone (found by the reconciler after an app restart)`,
        });
      }
    }
    return out;
  }

  /** Watches a process this app instance did not spawn (left running across a restart). */
  private async adopt(row: ExecutionRow, st: LocalState): Promise<void> {
    const h: Handle = {
      id: row.id,
      pid: st.pid as number,
      argv: st.argv as string[],
      endpoint: `http://127.0.0.1:${st.port}`,
      child: null,
      logs: null,
      state: row.status === "running" ? { status: "running", endpoint: row.endpoint } : { status: "starting" },
      stopping: false,
      closed: false,
      timers: new Set(),
    };
    this.handles.set(row.id, h);
    await patchHostState(
      row.id,
      { owner_pid: process.pid },
      `re-attached to pid ${h.pid} after an app restart; its output from now on cannot be captured (the pipes belonged to the previous app process)`,
    );
    const poll = async () => {
      if (h.closed) return;
      if (!pidRuns(h.pid, h.argv)) {
        h.closed = true;
        for (const t of h.timers) clearTimeout(t);
        const obs: Observation = h.stopping
          ? { status: "stopped", log: `process ${h.pid} ended` }
          : {
              status: "failed",
              stoppedReason: "The agent process ended after an app restart; its exit code could not be observed",
              log: `process ${h.pid} ended (exit code unknown)`,
            };
        h.state = obs;
        await this.safeReport(h.id, obs);
        this.handles.delete(h.id);
        return;
      }
      if (h.state.status === "starting" && (await ping(h.endpoint, 500))) {
        h.state = { status: "running", endpoint: h.endpoint };
        await this.safeReport(h.id, { ...h.state, log: `healthy at ${h.endpoint}` });
      }
      const t = setTimeout(() => void poll(), 200);
      t.unref();
      h.timers.add(t);
    };
    void poll();
  }

  async stop(row: ExecutionRow, reason: string): Promise<void> {
    const grace = env().EXECUTION_STOP_GRACE_MS;
    const h = this.handles.get(row.id);
    if (h) {
      h.stopping = true;
      h.logs?.push("system", `stopping (${reason}): SIGTERM, SIGKILL after ${grace} ms`);
      signalIfRuns(h.pid, h.argv, "SIGTERM");
      const t = setTimeout(() => {
        if (!h.closed) {
          h.logs?.push("system", `still running after ${grace} ms: SIGKILL`);
          signalIfRuns(h.pid, h.argv, "SIGKILL");
        }
      }, grace);
      t.unref();
      h.timers.add(t);
      return;
    }
    const st = row.hostState as LocalState;
    if (st.pid && st.argv && pidRuns(st.pid, st.argv)) {
      const { pid, argv } = { pid: st.pid, argv: st.argv };
      signalIfRuns(pid, argv, "SIGTERM");
      setTimeout(() => signalIfRuns(pid, argv, "SIGKILL"), grace).unref();
    }
  }

  /** Lets go of every process without stopping it, as an exiting app does: the pipes close, the timers stop. */
  release(): void {
    for (const h of this.handles.values()) {
      h.closed = true;
      for (const t of h.timers) clearTimeout(t);
      h.child?.removeAllListeners("close");
      h.child?.stdout?.destroy();
      h.child?.stderr?.destroy();
    }
    this.handles.clear();
  }

  /** Kills every process this instance watches. */
  killAll(): void {
    for (const h of this.handles.values()) signalIfRuns(h.pid, h.argv, "SIGKILL");
  }

  get watching(): number {
    return this.handles.size;
  }
}
