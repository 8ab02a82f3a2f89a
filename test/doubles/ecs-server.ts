import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import readline from "node:readline";
import { artifactArgv, resolveArtifact } from "@/lib/runtime/artifacts";
import { clusterName, familyOf, newTask, taskJson, type FakeTask } from "./ecs/task";

/**
 * A protocol-faithful ECS endpoint for tests and offline development. It speaks the ECS JSON 1.1
 * protocol (POST /, X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Action>, SigV4 Authorization required)
 * for RunTask, DescribeTasks and StopTask. Its tasks really run the task definition's agent as local processes
 * and go PROVISIONING -> PENDING -> RUNNING -> DEACTIVATING -> STOPPING -> STOPPED. Faults can be injected.
 * Never used in production: the real ECSClient is pointed here through AWS_ENDPOINT_URL_ECS.
 */

export interface TaskDefinitionSpec {
  /** The installed artifact the task's essential container runs (lib/runtime/artifacts.ts), e.g. "text-stats". */
  artifact: string;
  /** Container environment from the task definition (overrides from RunTask win). */
  env?: Record<string, string>;
  containerName?: string;
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

export interface EcsServerOptions {
  /** Task definition family -> what its container runs. */
  taskDefinitions?: Record<string, TaskDefinitionSpec>;
  /** false: tasks run no process and go RUNNING at once (benchmarks with thousands of tasks). */
  spawn?: boolean;
  /** Delay between lifecycle steps. */
  stepMs?: number;
  /** SIGTERM -> SIGKILL grace for StopTask (ECS's stopTimeout, 30 s by default there). */
  stopTimeoutMs?: number;
  faults?: Partial<EcsFaults>;
}

export interface EcsCall {
  action: string;
  status: number;
  /** DescribeTasks: number of task ARNs asked for. */
  tasks?: number;
}

export interface EcsServer {
  url: string;
  tasks: Map<string, FakeTask>;
  calls: EcsCall[];
  setFault(faults: Partial<EcsFaults>): void;
  /** Adds N running tasks with no process behind them; returns their ARNs. */
  addFakeTasks(n: number, cluster: string, family?: string): string[];
  /** The pid of a task's process (tests kill it to simulate a crash). */
  pidOf(taskArn: string): number | undefined;
  close(): Promise<void>;
}

const TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113.";
const AUTH_RE =
  /^AWS4-HMAC-SHA256 Credential=[^/\s]+\/\d{8}\/[a-z0-9-]+\/ecs\/aws4_request, ?SignedHeaders=[a-z0-9;-]+, ?Signature=[0-9a-f]{64}$/;

class EcsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startEcsServer(opts: EcsServerOptions = {}): Promise<EcsServer> {
  const defs = opts.taskDefinitions ?? {};
  const spawnProcesses = opts.spawn ?? true;
  const stepMs = opts.stepMs ?? 10;
  const stopTimeoutMs = opts.stopTimeoutMs ?? 2_000;
  const faults: EcsFaults = { throttle: 0, runTaskFailures: 0, runTaskFailureReason: "RESOURCE:CPU", failToStart: 0 };
  Object.assign(faults, opts.faults);
  const tasks = new Map<string, FakeTask>();
  const byToken = new Map<string, string[]>();
  const children = new Map<string, ChildProcess>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const calls: EcsCall[] = [];
  let closed = false;

  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      if (!closed) fn();
    }, ms);
    timers.add(t);
  };
  const set = (t: FakeTask, patch: Partial<FakeTask>) => {
    Object.assign(t, patch);
    t.version++;
  };

  /** Walks a task whose container has ended (or never started) down to STOPPED. */
  const wind = (t: FakeTask, final: Partial<FakeTask>) => {
    const steps: FakeTask["lastStatus"][] = ["DEACTIVATING", "STOPPING", "DEPROVISIONING"];
    const next = (i: number) => {
      if (i < steps.length) {
        set(t, { lastStatus: steps[i] });
        later(stepMs, () => next(i + 1));
      } else set(t, { ...final, lastStatus: "STOPPED", desiredStatus: "STOPPED", stoppedAt: Date.now() / 1000 });
    };
    next(0);
  };

  const launch = async (t: FakeTask, spec: TaskDefinitionSpec, overrideEnv: Record<string, string>) => {
    set(t, { lastStatus: "PENDING" });
    if (faults.failToStart > 0) {
      faults.failToStart--;
      later(stepMs, () =>
        set(t, {
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
    children.set(t.arn, child);
    set(t, { hostPort: port });
    const keep = (line: string) => {
      t.output.push(line);
      if (t.output.length > 200) t.output.shift();
    };
    readline.createInterface({ input: child.stdout! }).on("line", keep);
    readline.createInterface({ input: child.stderr! }).on("line", keep);
    child.on("error", (err) => keep(`spawn error: ${err.message}`));
    child.on("close", (code, signal) => {
      children.delete(t.arn);
      const exitCode = code ?? (signal === "SIGKILL" ? 137 : 143);
      if (!t.stopCode)
        set(t, { stopCode: "EssentialContainerExited", stoppedReason: "Essential container in task exited" });
      if (!t.stoppingAt) set(t, { stoppingAt: Date.now() / 1000 });
      wind(t, { exitCode });
    });
    // The container health check: the task is RUNNING once the agent answers /ping.
    const check = async () => {
      if (closed || t.lastStatus !== "PENDING" || !children.has(t.arn)) return;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(500) });
        if (res.ok && t.lastStatus === "PENDING")
          return set(t, { lastStatus: "RUNNING", startedAt: Date.now() / 1000 });
      } catch {
        // not listening yet
      }
      later(15, () => void check());
    };
    void check();
  };

  const runTask = (body: Record<string, any>) => {
    const cluster = clusterName(body.cluster);
    const taskDefinition = String(body.taskDefinition ?? "");
    if (!taskDefinition) throw new EcsError("InvalidParameterException", "TaskDefinition can not be blank.");
    const count = body.count ?? 1;
    if (!Number.isInteger(count) || count < 1 || count > 10) {
      throw new EcsError("InvalidParameterException", "Count must be between 1 and 10.");
    }
    if (body.launchType && body.launchType !== "FARGATE") {
      throw new EcsError("InvalidParameterException", "This endpoint only runs FARGATE tasks.");
    }
    const subnets: string[] = body.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
    if (subnets.length === 0) {
      throw new EcsError(
        "InvalidParameterException",
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
    }
    const family = familyOf(taskDefinition);
    const spec = defs[family];
    if (!spec && spawnProcesses) throw new EcsError("ClientException", "Unable to describe task definition.");
    if (body.clientToken && byToken.has(body.clientToken)) {
      return { tasks: byToken.get(body.clientToken)!.map((a) => taskJson(tasks.get(a)!)), failures: [] };
    }
    if (faults.runTaskFailures > 0) {
      faults.runTaskFailures--;
      return { tasks: [], failures: [{ reason: faults.runTaskFailureReason, detail: "No capacity for the task" }] };
    }
    const containerName = spec?.containerName ?? "agent";
    const overrideEnv: Record<string, string> = {};
    for (const o of body.overrides?.containerOverrides ?? []) {
      if (o.name !== containerName)
        throw new EcsError(
          "InvalidParameterException",
          `Override for container named ${o.name} is not a container in the TaskDefinition.`,
        );
      for (const kv of o.environment ?? []) overrideEnv[kv.name] = String(kv.value ?? "");
    }
    const created: FakeTask[] = [];
    for (let i = 0; i < count; i++) {
      const t = newTask({
        cluster,
        family,
        containerName,
        startedBy: body.startedBy,
        subnet: subnets[0]!,
        overrides: body.overrides ?? {},
      });
      t.taskDefinition = taskDefinition;
      t.networkConfiguration = body.networkConfiguration;
      tasks.set(t.arn, t);
      created.push(t);
      if (spawnProcesses && spec) later(stepMs, () => void launch(t, spec, overrideEnv));
      else later(stepMs, () => set(t, { lastStatus: "RUNNING", startedAt: Date.now() / 1000 }));
    }
    if (body.clientToken)
      byToken.set(
        body.clientToken,
        created.map((t) => t.arn),
      );
    return { tasks: created.map(taskJson), failures: [] };
  };

  const find = (cluster: string, ref: string): FakeTask | undefined => {
    const t = tasks.get(ref) ?? tasks.get(`arn:aws:ecs:us-east-1:123456789012:task/${cluster}/${ref}`);
    return t && t.cluster === cluster ? t : undefined;
  };

  const describeTasks = (body: Record<string, any>) => {
    const cluster = clusterName(body.cluster);
    const refs: string[] = body.tasks ?? [];
    if (refs.length === 0) throw new EcsError("InvalidParameterException", "Tasks cannot be empty.");
    if (refs.length > 100) throw new EcsError("InvalidParameterException", "Tasks cannot have more than 100 elements.");
    const found: Record<string, unknown>[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const ref of refs) {
      const t = find(cluster, ref);
      if (t) found.push(taskJson(t));
      else failures.push({ arn: ref, reason: "MISSING" });
    }
    return { tasks: found, failures };
  };

  const stopTask = (body: Record<string, any>) => {
    const cluster = clusterName(body.cluster);
    const t = find(cluster, String(body.task ?? ""));
    if (!t) throw new EcsError("InvalidParameterException", "The referenced task was not found.");
    if (t.desiredStatus !== "STOPPED") {
      set(t, {
        desiredStatus: "STOPPED",
        stopCode: "UserInitiated",
        stoppedReason: body.reason || "Task stopped by user",
        stoppingAt: Date.now() / 1000,
      });
      const child = children.get(t.arn);
      if (child) {
        child.kill("SIGTERM");
        later(stopTimeoutMs, () => children.get(t.arn)?.kill("SIGKILL"));
      } else if (t.lastStatus !== "STOPPED") wind(t, {});
    }
    return { task: taskJson(t) };
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
      const reply = (status: number, value: unknown, type?: string) => {
        calls.push({ action, status });
        const text = JSON.stringify(value);
        res.writeHead(status, {
          "content-type": "application/x-amz-json-1.1",
          "x-amzn-requestid": crypto.randomUUID(),
          ...(type ? { "x-amzn-errortype": type } : {}),
        });
        res.end(text);
      };
      try {
        if (req.method !== "POST" || (req.url ?? "/") !== "/") throw new EcsError("UnknownOperationException", "", 404);
        const auth = String(req.headers.authorization ?? "");
        if (!auth) throw new EcsError("MissingAuthenticationTokenException", "Missing Authentication Token", 403);
        if (!AUTH_RE.test(auth) || !req.headers["x-amz-date"]) {
          throw new EcsError("IncompleteSignatureException", "The request signature is malformed.", 403);
        }
        if (!String(req.headers["content-type"] ?? "").startsWith("application/x-amz-json-1.1")) {
          throw new EcsError("SerializationException", "Expected application/x-amz-json-1.1");
        }
        if (faults.throttle > 0) {
          faults.throttle--;
          throw new EcsError("ThrottlingException", "Rate exceeded");
        }
        let body: Record<string, any>;
        try {
          body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : {};
        } catch {
          throw new EcsError("SerializationException", "Could not parse the request body");
        }
        let out: unknown;
        if (action === "RunTask") out = runTask(body);
        else if (action === "DescribeTasks") out = describeTasks(body);
        else if (action === "StopTask") out = stopTask(body);
        else throw new EcsError("UnknownOperationException", `Unknown operation ${action}`);
        if (action === "DescribeTasks") {
          calls.push({ action, status: 200, tasks: (body.tasks ?? []).length });
          res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": crypto.randomUUID() });
          res.end(JSON.stringify(out));
          return;
        }
        reply(200, out);
      } catch (err) {
        const e = err instanceof EcsError ? err : new EcsError("ServerException", "Internal error", 500);
        reply(e.status, { __type: e.type, message: e.message }, e.type);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    tasks,
    calls,
    setFault(f) {
      Object.assign(faults, f);
    },
    addFakeTasks(n, cluster, family = "fake") {
      const arns: string[] = [];
      for (let i = 0; i < n; i++) {
        const t = newTask({ cluster, family, containerName: "agent", subnet: "subnet-fake", overrides: {} });
        Object.assign(t, { lastStatus: "RUNNING", startedAt: Date.now() / 1000 });
        tasks.set(t.arn, t);
        arns.push(t.arn);
      }
      return arns;
    },
    pidOf: (arn) => children.get(arn)?.pid,
    async close() {
      closed = true;
      for (const t of timers) clearTimeout(t);
      for (const c of children.values()) c.kill("SIGKILL");
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
