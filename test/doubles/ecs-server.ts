import type { AwsCredentialIdentity } from "@smithy/types";
import { startAwsJsonServer } from "./aws-json";
import { EcsActions, EcsError } from "./ecs/actions";
import { TaskLifecycle, type EcsFaults, type LogSink, type TaskDefinitionSpec } from "./ecs/lifecycle";
import { EcsServices } from "./ecs/services";
import { newTask, REGION, type FakeTask } from "./ecs/task";

/**
 * A protocol-faithful ECS endpoint for tests and offline development. It speaks the ECS JSON 1.1 protocol
 * (aws-json.ts: POST /, X-Amz-Target: AmazonEC2ContainerServiceV20141113.<Action>, SigV4 verified for real with the
 * `credentials` it is given) for RunTask, DescribeTasks, StopTask and ListTasks, RegisterTaskDefinition /
 * DeregisterTaskDefinition / DescribeTaskDefinition and Create/Update/Describe/DeleteService (ecs/services.ts: a
 * scheduler keeps services at desiredCount). Its tasks really run the task definition's agent as local processes,
 * write their output to the CloudWatch Logs double as the awslogs driver does, and go PROVISIONING -> PENDING ->
 * RUNNING -> DEACTIVATING -> STOPPING -> STOPPED. Faults can be injected. Never used in production: the real
 * ECSClient is pointed here through AWS_ENDPOINT_URL_ECS. ecs/actions.ts validates and answers the task actions,
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
  /** The keys whose SigV4 signatures are verified; without any only the signature's shape is (benchmarks). */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentity[];
  /** Where tasks' awslogs output goes (the CloudWatch Logs double's store); without it, nowhere. */
  logs?: LogSink;
  /** The log group of the `taskDefinitions` families (registered as revision 1 with awslogs), "/agent-market/agents". */
  logGroup?: string;
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

export async function startEcsServer(opts: EcsServerOptions = {}): Promise<EcsServer> {
  const faults: EcsFaults = { throttle: 0, runTaskFailures: 0, runTaskFailureReason: "RESOURCE:CPU", failToStart: 0 };
  Object.assign(faults, opts.faults);
  const tasks = new Map<string, FakeTask>();
  const calls: EcsCall[] = [];
  const lifecycle = new TaskLifecycle(faults, opts.stepMs ?? 10, opts.stopTimeoutMs ?? 2_000, opts.logs);
  const defs = { ...opts.taskDefinitions };
  const actions = new EcsActions(tasks, lifecycle, faults, defs, opts.spawn ?? true);
  const services = new EcsServices(tasks, lifecycle, defs, opts.images ?? {}, opts.stepMs ?? 10);
  for (const [family, spec] of Object.entries(defs)) {
    defs[family] = services.seed(family, spec, opts.logGroup ?? "/agent-market/agents");
  }
  const handlers: Record<string, (body: Record<string, any>) => unknown> = {
    RunTask: (b) => actions.runTask(b),
    DescribeTasks: (b) => actions.describeTasks(b),
    DescribeTaskDefinition: (b) => ({
      taskDefinition: services.describeTaskDefinition(String(b.taskDefinition ?? "")),
      tags: [],
    }),
    StopTask: (b) => actions.stopTask(b),
    ListTasks: (b) => services.listTasks(b),
    RegisterTaskDefinition: (b) => services.register(b),
    DeregisterTaskDefinition: (b) => services.deregister(b),
    CreateService: (b) => services.createService(b),
    UpdateService: (b) => services.updateService(b),
    DescribeServices: (b) => services.describeServices(b),
    DeleteService: (b) => services.deleteService(b),
  };

  const server = await startAwsJsonServer({
    targetPrefix: "AmazonEC2ContainerServiceV20141113",
    service: "ecs",
    region: REGION,
    credentials: opts.credentials ? [opts.credentials].flat() : undefined,
    internalError: "ServerException",
    handlers,
    before: () => {
      if (faults.throttle > 0) {
        faults.throttle--;
        throw new EcsError("ThrottlingException", "Rate exceeded");
      }
    },
    onCall: ({ action, status }, body) =>
      calls.push(
        action === "DescribeTasks" && status === 200
          ? { action, status, tasks: (body.tasks ?? []).length }
          : { action, status },
      ),
  });

  return {
    url: server.url,
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
      await server.close();
    },
  };
}
