import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { artifactArgv, resolveArtifact } from "@/lib/runtime/artifacts";
import { freePort } from "../net";
import type { FakeTask } from "./task";

export interface TaskDefinitionSpec {
  /** The installed artifact the task's essential container runs (lib/runtime/artifacts.ts), e.g. "text-stats". */
  artifact: string;
  /** Container environment from the task definition (overrides from RunTask win). */
  env?: Record<string, string>;
  containerName?: string;
  /** The container's awslogs configuration: its lines go to `group`, stream `<streamPrefix>/<container>/<task id>`. */
  logs?: { group: string; streamPrefix: string };
}

/** Where the awslogs driver writes (the CloudWatch Logs double's store). */
export interface LogSink {
  hasGroup(group: string): boolean;
  append(group: string, stream: string, message: string): void;
}

export interface EcsFaults {
  /** The next N calls (any action) answer 400 ThrottlingException. */
  throttle: number;
  /** The next N RunTask calls place nothing and answer `failures[]` with this reason. */
  runTaskFailures: number;
  runTaskFailureReason: string;
  /** The next N tasks stop with TaskFailedToStart (CannotPullContainerError) instead of running. */
  failToStart: number;
}

/**
 * What happens to a task after the API call: its container really runs the task definition's agent as a local
 * process, and the task walks PROVISIONING -> PENDING -> RUNNING -> DEACTIVATING -> STOPPING -> STOPPED, one step
 * every `stepMs`. Every step bumps the task's version.
 */
export class TaskLifecycle {
  private readonly children = new Map<string, ChildProcess>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  private closed = false;

  constructor(
    private readonly faults: EcsFaults,
    private readonly stepMs: number,
    /** SIGTERM -> SIGKILL grace for StopTask (ECS's stopTimeout). */
    private readonly stopTimeoutMs: number,
    /** Where containers with an awslogs configuration write their stdout and stderr. */
    private readonly logs?: LogSink,
  ) {}

  /** Starts a placed task: its container process (with `spec`), or without one straight to RUNNING. */
  place(t: FakeTask, spec: TaskDefinitionSpec | undefined, overrideEnv: Record<string, string>): void {
    if (spec) this.later(this.stepMs, () => void this.launch(t, spec, overrideEnv));
    else this.later(this.stepMs, () => this.set(t, { lastStatus: "RUNNING", startedAt: Date.now() / 1000 }));
  }

  /** StopTask: SIGTERM to the container, SIGKILL after the grace; a task without one winds down at once. */
  stop(t: FakeTask, reason: string): void {
    if (t.desiredStatus === "STOPPED") return;
    this.set(t, {
      desiredStatus: "STOPPED",
      stopCode: "UserInitiated",
      stoppedReason: reason,
      stoppingAt: Date.now() / 1000,
    });
    const child = this.children.get(t.arn);
    if (child) {
      child.kill("SIGTERM");
      this.later(this.stopTimeoutMs, () => this.children.get(t.arn)?.kill("SIGKILL"));
    } else if (t.lastStatus !== "STOPPED") this.wind(t, {});
  }

  pidOf(taskArn: string): number | undefined {
    return this.children.get(taskArn)?.pid;
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    for (const c of this.children.values()) c.kill("SIGKILL");
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, ms);
    this.timers.add(t);
  }

  private set(t: FakeTask, patch: Partial<FakeTask>): void {
    Object.assign(t, patch);
    t.version++;
  }

  /** Walks a task whose container has ended (or never started) down to STOPPED. */
  private wind(t: FakeTask, final: Partial<FakeTask>): void {
    const steps: FakeTask["lastStatus"][] = ["DEACTIVATING", "STOPPING", "DEPROVISIONING"];
    const next = (i: number) => {
      if (i < steps.length) {
        this.set(t, { lastStatus: steps[i] });
        this.later(this.stepMs, () => next(i + 1));
      } else this.set(t, { ...final, lastStatus: "STOPPED", desiredStatus: "STOPPED", stoppedAt: Date.now() / 1000 });
    };
    next(0);
  }

  private async launch(t: FakeTask, spec: TaskDefinitionSpec, overrideEnv: Record<string, string>): Promise<void> {
    this.set(t, { lastStatus: "PENDING" });
    if (this.faults.failToStart > 0) {
      this.faults.failToStart--;
      this.later(this.stepMs, () =>
        this.set(t, {
          lastStatus: "STOPPED",
          desiredStatus: "STOPPED",
          stopCode: "TaskFailedToStart",
          stoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s): not found",
          containerReason: "CannotPullContainerError",
          stoppingAt: Date.now() / 1000,
          stoppedAt: Date.now() / 1000,
        }),
      );
      return;
    }
    const logs = spec.logs && this.logs ? { ...spec.logs, sink: this.logs } : undefined;
    if (logs && !logs.sink.hasGroup(logs.group)) {
      // The awslogs driver cannot create its stream: the task never starts, as on Fargate.
      this.later(this.stepMs, () =>
        this.set(t, {
          lastStatus: "STOPPED",
          desiredStatus: "STOPPED",
          stopCode: "TaskFailedToStart",
          stoppedReason: `ResourceInitializationError: failed to validate logger args: ResourceNotFoundException: The specified log group does not exist. (${logs.group})`,
          stoppingAt: Date.now() / 1000,
          stoppedAt: Date.now() / 1000,
        }),
      );
      return;
    }
    const port = await freePort();
    const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };
    Object.assign(env, spec.env ?? {}, overrideEnv, { PORT: String(port), HOST: "127.0.0.1" });
    const artifact = resolveArtifact(spec.artifact);
    if (!artifact) throw new Error(`ECS double: no installed artifact ${spec.artifact}`);
    const [program, ...args] = artifactArgv(artifact);
    const child = spawn(program, args, {
      cwd: artifact.dir,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.children.set(t.arn, child);
    this.set(t, { hostPort: port });
    const stream = logs ? `${logs.streamPrefix}/${t.containerName}/${t.id}` : "";
    const keep = (line: string) => {
      t.output.push(line);
      if (t.output.length > 200) t.output.shift();
      logs?.sink.append(logs.group, stream, line);
    };
    readline.createInterface({ input: child.stdout! }).on("line", keep);
    readline.createInterface({ input: child.stderr! }).on("line", keep);
    child.on("error", (err) => keep(`spawn error: ${err.message}`));
    child.on("close", (code, signal) => {
      this.children.delete(t.arn);
      const exitCode = code ?? (signal === "SIGKILL" ? 137 : 143);
      if (!t.stopCode)
        this.set(t, { stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" });
      if (!t.stoppingAt) this.set(t, { stoppingAt: Date.now() / 1000 });
      this.wind(t, { exitCode });
    });
    // The container health check: the task is RUNNING once the agent answers /ping.
    const check = async () => {
      if (this.closed || t.lastStatus !== "PENDING" || !this.children.has(t.arn)) return;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(500) });
        if (res.ok && t.lastStatus === "PENDING")
          return this.set(t, { lastStatus: "RUNNING", startedAt: Date.now() / 1000 });
      } catch {
        // not listening yet
      }
      this.later(15, () => void check());
    };
    void check();
  }
}
