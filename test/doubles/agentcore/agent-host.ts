import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { artifactArgv, listArtifactsIn } from "@/lib/runtime/artifacts";

/** How the local endpoint runs one hosted agent: an installed artifact (lib/runtime/artifacts.ts) and extra environment. */
export interface HostedAgentSpec {
  artifact: string;
  env?: Record<string, string>;
}

export interface RunningAgent {
  origin: string;
  servesWs: boolean;
  child: ChildProcess;
  stop(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const LISTENING_RE = /listening on http:\/\/([0-9.]+):(\d+)/;

export function probeWs(origin: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${origin.replace(/^http/, "ws")}/ws`, { handshakeTimeout: 2000 });
    ws.on("open", () => {
      ws.terminate();
      resolve(true);
    });
    ws.on("error", () => resolve(false));
    ws.on("unexpected-response", () => {
      ws.terminate();
      resolve(false);
    });
  });
}

/** SIGTERM, SIGKILL two seconds later; resolves once the process is gone. */
export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 2000).unref();
  });
}

/**
 * Starts an agent program as AgentCore would start its container: a child process with HOST=127.0.0.1 and
 * PORT=0 (it prints the port it got), then checks whether it serves the optional `/ws`.
 */
export async function startHostedAgent(spec: HostedAgentSpec, startTimeoutMs = 20_000): Promise<RunningAgent> {
  const artifact = listArtifactsIn(REPO_ROOT).get(spec.artifact);
  if (!artifact) throw new Error(`no installed artifact ${spec.artifact}`);
  const [program, ...args] = artifactArgv(artifact);
  const child = spawn(program, args, {
    cwd: artifact.dir,
    // As a container would: its own environment only, never the host process's (credentials included).
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      ...spec.env,
      HOST: "127.0.0.1",
      PORT: "0",
      STREAM_CHUNK_DELAY_MS: spec.env?.STREAM_CHUNK_DELAY_MS ?? "0",
    } as Record<string, string> as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const origin = await new Promise<string>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`agent ${spec.artifact} did not start`));
    }, startTimeoutMs);
    child.stdout!.on("data", (b: Buffer) => {
      out += b.toString("utf8");
      const m = LISTENING_RE.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}:${m[2]}`);
      }
      if (out.length > 65_536) out = out.slice(-4096);
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`agent ${spec.artifact} exited with ${code} before listening`));
    });
  });
  // Keep draining its logs so the pipes never fill.
  child.stdout!.resume();
  child.stderr!.resume();
  // The agents survive a closed stdout on purpose (executions outlive an app restart): if whoever hosts them
  // exits without close(), take them along rather than leave orphans listening.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  child.once("exit", () => process.removeListener("exit", killOnExit));
  const servesWs = await probeWs(origin);
  return {
    origin,
    servesWs,
    child,
    stop: () => stopChild(child),
  };
}

/** The control-plane double's side of the data plane: which runtime ARNs it holds and what serves their endpoints. */
export interface DeployedRuntimes {
  has(arn: string, qualifier: string): boolean;
  agentFor(arn: string, qualifier: string): Promise<RunningAgent>;
}

/**
 * The programs behind an endpoint's runtimes, one process per distinct spec (several ARNs may share one), started
 * on first use. A crashed agent (`__crash__`) is started again on next use, as AgentCore replaces a failed microVM.
 */
export class AgentPool {
  private readonly running = new Map<string, Promise<RunningAgent>>();

  constructor(
    private readonly specs: Record<string, HostedAgentSpec>,
    /** Runtimes deployed through the control-plane double: what serves an ARN's endpoint (`qualifier`). */
    private readonly deployed?: DeployedRuntimes,
  ) {}

  agentFor(arn: string, qualifier = "DEFAULT"): Promise<RunningAgent> {
    if (!this.specs[arn] && this.deployed) return this.deployed.agentFor(arn, qualifier);
    const key = JSON.stringify(this.specs[arn]!);
    let p = this.running.get(key);
    if (!p) {
      const started = startHostedAgent(this.specs[arn]!);
      started.then(
        (a) => a.child.once("exit", () => this.running.get(key) === started && this.running.delete(key)),
        () => this.running.delete(key),
      );
      this.running.set(key, started);
      p = started;
    }
    return p;
  }

  /** Starts every program now; stops those that started when one cannot. */
  async startAll(): Promise<void> {
    try {
      await Promise.all(Object.keys(this.specs).map((arn) => this.agentFor(arn)));
    } catch (err) {
      await Promise.allSettled([...this.running.values()].map(async (p) => (await p).stop()));
      throw err;
    }
  }

  async stop(): Promise<void> {
    const agents = await Promise.allSettled([...this.running.values()]);
    this.running.clear();
    await Promise.all(agents.map((a) => (a.status === "fulfilled" ? a.value.stop() : undefined)));
  }
}
