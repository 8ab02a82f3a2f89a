import http from "node:http";
import type net from "node:net";
import { EcsActions, EcsError } from "./ecs/actions";
import { TaskLifecycle, type EcsFaults, type TaskDefinitionSpec } from "./ecs/lifecycle";
import { EcsServices } from "./ecs/services";
import { newTask, type FakeTask } from "./ecs/task";

/**
 * A protocol-faithful ECS endpoint for tests and offline development. It speaks the ECS JSON 1.1
 * protocol (POST /, X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Action>, SigV4 Authorization required)
 * for RunTask, DescribeTasks, StopTask and ListTasks, RegisterTaskDefinition / DeregisterTaskDefinition and
 * Create/Update/Describe/DeleteService (ecs/services.ts: a scheduler keeps services at desiredCount). Its tasks really run the task definition's agent as local processes
 * and go PROVISIONING -> PENDING -> RUNNING -> DEACTIVATING -> STOPPING -> STOPPED. Faults can be injected.
 * Never used in production: the real ECSClient is pointed here through AWS_ENDPOINT_URL_ECS. This file is the
 * HTTP side (signature check, throttling, dispatch); ecs/actions.ts validates and answers the three actions,
 * ecs/lifecycle.ts runs the tasks, ecs/task.ts is their shape.
 */

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
  /** Image repository (no tag) -> installed artifact that stands for it (else the repository's last segment). */
  images?: Record<string, string>;
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
  services: EcsServices;
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

export async function startEcsServer(opts: EcsServerOptions = {}): Promise<EcsServer> {
  const faults: EcsFaults = { throttle: 0, runTaskFailures: 0, runTaskFailureReason: "RESOURCE:CPU", failToStart: 0 };
  Object.assign(faults, opts.faults);
  const tasks = new Map<string, FakeTask>();
  const calls: EcsCall[] = [];
  const lifecycle = new TaskLifecycle(faults, opts.stepMs ?? 10, opts.stopTimeoutMs ?? 2_000);
  const defs = { ...opts.taskDefinitions };
  const actions = new EcsActions(tasks, lifecycle, faults, defs, opts.spawn ?? true);
  const services = new EcsServices(tasks, lifecycle, defs, opts.images ?? {}, opts.stepMs ?? 10);
  const handlers: Record<string, (body: Record<string, any>) => unknown> = {
    RunTask: (b) => actions.runTask(b),
    StopTask: (b) => actions.stopTask(b),
    ListTasks: (b) => services.listTasks(b),
    RegisterTaskDefinition: (b) => services.register(b),
    DeregisterTaskDefinition: (b) => services.deregister(b),
    CreateService: (b) => services.createService(b),
    UpdateService: (b) => services.updateService(b),
    DescribeServices: (b) => services.describeServices(b),
    DeleteService: (b) => services.deleteService(b),
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
        if (action === "DescribeTasks") {
          const out = actions.describeTasks(body);
          calls.push({ action, status: 200, tasks: (body.tasks ?? []).length });
          res.writeHead(200, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": crypto.randomUUID() });
          res.end(JSON.stringify(out));
          return;
        }
        const handler = handlers[action];
        if (!handler) throw new EcsError("UnknownOperationException", `Unknown operation ${action}`);
        reply(200, handler(body));
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
    services,
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
    pidOf: (arn) => lifecycle.pidOf(arn),
    async close() {
      services.close();
      lifecycle.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
