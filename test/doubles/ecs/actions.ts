import { AwsJsonError } from "../aws-json";
import type { EcsFaults, TaskDefinitionSpec, TaskLifecycle } from "./lifecycle";
import { clusterName, familyOf, newTask, taskJson, type FakeTask } from "./task";

/** An ECS error answer: its `__type` (also the x-amzn-errortype header), message and status. */
export class EcsError extends AwsJsonError {}

/** RunTask, DescribeTasks and StopTask over the double's tasks, validated as ECS validates them. */
export class EcsActions {
  /** RunTask clientToken -> the ARNs it placed (a retried call gets the same tasks). */
  private readonly byToken = new Map<string, string[]>();

  constructor(
    readonly tasks: Map<string, FakeTask>,
    private readonly lifecycle: TaskLifecycle,
    private readonly faults: EcsFaults,
    private readonly defs: Record<string, TaskDefinitionSpec>,
    /** false: tasks run no process and go RUNNING at once. */
    private readonly spawnProcesses: boolean,
  ) {}

  runTask(body: Record<string, any>) {
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
    const spec = this.defs[family];
    if (!spec && this.spawnProcesses) throw new EcsError("ClientException", "Unable to describe task definition.");
    if (body.clientToken && this.byToken.has(body.clientToken)) {
      return { tasks: this.byToken.get(body.clientToken)!.map((a) => taskJson(this.tasks.get(a)!)), failures: [] };
    }
    if (this.faults.runTaskFailures > 0) {
      this.faults.runTaskFailures--;
      return {
        tasks: [],
        failures: [{ reason: this.faults.runTaskFailureReason, detail: "No capacity for the task" }],
      };
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
      this.tasks.set(t.arn, t);
      created.push(t);
      this.lifecycle.place(t, this.spawnProcesses ? spec : undefined, overrideEnv);
    }
    if (body.clientToken)
      this.byToken.set(
        body.clientToken,
        created.map((t) => t.arn),
      );
    return { tasks: created.map(taskJson), failures: [] };
  }

  describeTasks(body: Record<string, any>) {
    const cluster = clusterName(body.cluster);
    const refs: string[] = body.tasks ?? [];
    if (refs.length === 0) throw new EcsError("InvalidParameterException", "Tasks cannot be empty.");
    if (refs.length > 100) throw new EcsError("InvalidParameterException", "Tasks cannot have more than 100 elements.");
    const found: Record<string, unknown>[] = [];
    const failures: { arn: string; reason: string }[] = [];
    for (const ref of refs) {
      const t = this.find(cluster, ref);
      if (t) found.push(taskJson(t));
      else failures.push({ arn: ref, reason: "MISSING" });
    }
    return { tasks: found, failures };
  }

  stopTask(body: Record<string, any>) {
    const cluster = clusterName(body.cluster);
    const t = this.find(cluster, String(body.task ?? ""));
    if (!t) throw new EcsError("InvalidParameterException", "The referenced task was not found.");
    this.lifecycle.stop(t, body.reason || "Task stopped by user");
    return { task: taskJson(t) };
  }

  private find(cluster: string, ref: string): FakeTask | undefined {
    const t = this.tasks.get(ref) ?? this.tasks.get(`arn:aws:ecs:us-east-1:123456789012:task/${cluster}/${ref}`);
    return t && t.cluster === cluster ? t : undefined;
  }
}
