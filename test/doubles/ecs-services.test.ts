import {
  CreateServiceCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/test/fixtures/runtime";
import { startCloudWatchLogsServer, type CloudWatchLogsServer } from "./cloudwatch-logs-server";
import { fargateTaskBody } from "./ecs/task-definitions";
import { startEcsServer, type EcsServer } from "./ecs-server";

let ecs: EcsServer;
let client: ECSClient;
const network = {
  awsvpcConfiguration: { subnets: ["subnet-1"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" as const },
};

let logs: CloudWatchLogsServer;

beforeAll(async () => {
  const credentials = { accessKeyId: "AKIATESTECS000000001", secretAccessKey: "x" };
  logs = await startCloudWatchLogsServer({ credentials, groups: ["/ops/agents"] });
  ecs = await startEcsServer({ credentials, logs: logs.store });
  client = new ECSClient({ region: "us-east-1", endpoint: ecs.url, credentials, maxAttempts: 1 });
});
afterAll(() => Promise.all([ecs.close(), logs.close()]));

const register = (cpu = "256", memory = "512") =>
  client.send(
    new RegisterTaskDefinitionCommand({
      family: "am-agent-prod",
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu,
      memory,
      executionRoleArn: "arn:aws:iam::123456789012:role/exec",
      containerDefinitions: [
        {
          name: "agent",
          image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/agents/text-stats:1.0.0",
          essential: true,
          portMappings: [{ containerPort: 8080, protocol: "tcp" }],
        },
      ],
    }),
  );

const running = (service: string, n: number) =>
  waitFor(async () => {
    const { services } = await client.send(new DescribeServicesCommand({ cluster: "c", services: [service] }));
    return services?.[0]?.runningCount === n && services[0].pendingCount === 0 ? services[0] : undefined;
  }, `${service} at ${n} running`);

describe("ECS double: task definitions and services through the real ECSClient", () => {
  it("registers revisions, keeps a service at its desiredCount with real tasks, scales, deletes", async () => {
    await expect(register("256", "4096")).rejects.toMatchObject({ name: "ClientException" });
    const r1 = await register();
    expect(r1.taskDefinition).toMatchObject({ family: "am-agent-prod", revision: 1, status: "ACTIVE" });
    const created = await client.send(
      new CreateServiceCommand({
        cluster: "c",
        serviceName: "am-agent-prod-v1",
        taskDefinition: r1.taskDefinition!.taskDefinitionArn,
        desiredCount: 2,
        launchType: "FARGATE",
        networkConfiguration: network,
      }),
    );
    expect(created.service?.status).toBe("ACTIVE");
    await expect(
      client.send(
        new CreateServiceCommand({
          cluster: "c",
          serviceName: "am-agent-prod-v1",
          taskDefinition: "am-agent-prod",
          networkConfiguration: network,
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await running("am-agent-prod-v1", 2);
    const { taskArns } = await client.send(new ListTasksCommand({ cluster: "c", serviceName: "am-agent-prod-v1" }));
    expect(taskArns).toHaveLength(2);
    const { tasks } = await client.send(new DescribeTasksCommand({ cluster: "c", tasks: taskArns }));
    const port = tasks![0]!.containers![0]!.networkBindings![0]!.hostPort;
    expect((await fetch(`http://127.0.0.1:${port}/ping`)).status).toBe(200);

    // A task that dies is replaced by the scheduler.
    process.kill(ecs.pidOf(taskArns![0]!)!, "SIGKILL");
    await waitFor(async () => {
      const l = await client.send(new ListTasksCommand({ cluster: "c", serviceName: "am-agent-prod-v1" }));
      return l.taskArns?.length === 2 && !l.taskArns.includes(taskArns![0]!) ? true : undefined;
    }, "a replacement task");
    await running("am-agent-prod-v1", 2);

    await expect(
      client.send(new DeleteServiceCommand({ cluster: "c", service: "am-agent-prod-v1" })),
    ).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    await client.send(new UpdateServiceCommand({ cluster: "c", service: "am-agent-prod-v1", desiredCount: 0 }));
    await running("am-agent-prod-v1", 0);
    await client.send(new DeleteServiceCommand({ cluster: "c", service: "am-agent-prod-v1" }));
    await waitFor(async () => {
      const { services } = await client.send(
        new DescribeServicesCommand({ cluster: "c", services: ["am-agent-prod-v1"] }),
      );
      return services?.[0]?.status === "INACTIVE" ? true : undefined;
    }, "the service INACTIVE");
    await expect(
      client.send(new UpdateServiceCommand({ cluster: "c", service: "am-agent-prod-v1", desiredCount: 1 })),
    ).rejects.toMatchObject({
      name: "ServiceNotFoundException",
    });
    const dereg = await client.send(new DeregisterTaskDefinitionCommand({ taskDefinition: "am-agent-prod:1" }));
    expect(dereg.taskDefinition?.status).toBe("INACTIVE");
    const missing = await client.send(new DescribeServicesCommand({ cluster: "c", services: ["nope"] }));
    expect(missing.failures?.[0]?.reason).toBe("MISSING");
  });

  it("awslogs: a task's container output lands in its CloudWatch stream; a missing log group stops it at start", async () => {
    const withLogs = (family: string, group: string) =>
      client.send(
        new RegisterTaskDefinitionCommand(
          fargateTaskBody({
            family,
            containerName: "agent",
            image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/agents/text-stats:1.0.0",
            logs: { group, streamPrefix: "svc" },
          }),
        ),
      );
    const serve = async (name: string, family: string) =>
      client.send(
        new CreateServiceCommand({
          cluster: "c",
          serviceName: name,
          taskDefinition: family,
          desiredCount: 1,
          networkConfiguration: network,
        }),
      );
    await withLogs("logged", "/ops/agents");
    const described = await client.send(new DescribeTaskDefinitionCommand({ taskDefinition: "logged" }));
    expect(described.taskDefinition?.containerDefinitions?.[0]?.logConfiguration?.options).toMatchObject({
      "awslogs-group": "/ops/agents",
    });
    await serve("logged-v1", "logged");
    await running("logged-v1", 1);
    const { taskArns } = await client.send(new ListTasksCommand({ cluster: "c", serviceName: "logged-v1" }));
    const id = taskArns![0]!.split("/").pop()!;
    const lines = await waitFor(() => {
      const m = logs.store.messages("/ops/agents", `svc/agent/${id}`);
      return m.length ? m : undefined;
    }, "the task's stdout in its stream");
    expect(lines.join("\n")).toContain("[text-stats]");

    await withLogs("unlogged", "/ops/missing");
    await serve("unlogged-v1", "unlogged");
    const stopped = await waitFor(async () => {
      const { taskArns } = await client.send(
        new ListTasksCommand({ cluster: "c", serviceName: "unlogged-v1", desiredStatus: "STOPPED" }),
      );
      if (!taskArns?.length) return undefined;
      return (await client.send(new DescribeTasksCommand({ cluster: "c", tasks: taskArns }))).tasks![0];
    }, "the task stopped at start");
    expect(stopped).toMatchObject({ stopCode: "TaskFailedToStart" });
    expect(stopped!.stoppedReason).toMatch(/ResourceInitializationError.+log group does not exist/);
    for (const s of ["logged-v1", "unlogged-v1"]) {
      await client.send(new UpdateServiceCommand({ cluster: "c", service: s, desiredCount: 0 }));
    }
  });
});
