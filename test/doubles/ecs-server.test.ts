import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DescribeTasksCommand, ECSClient, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { startEcsServer, type EcsServer } from "./ecs-server";

let ecs: EcsServer;
let client: ECSClient;
const credentials = { accessKeyId: "AKIDTEST", secretAccessKey: "secret" };

beforeAll(async () => {
  ecs = await startEcsServer({ spawn: false, stepMs: 1, credentials });
  client = new ECSClient({ endpoint: ecs.url, region: "us-east-1", credentials, maxAttempts: 1 });
});
afterAll(async () => {
  client.destroy();
  await ecs.close();
});

const runInput = {
  cluster: "c1",
  taskDefinition: "fam:1",
  launchType: "FARGATE" as const,
  networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-1"] } },
};

describe("ECS double", () => {
  it("refuses unsigned requests with an ECS error shape", async () => {
    const res = await fetch(ecs.url, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "AmazonEC2ContainerServiceV20141113.DescribeTasks",
      },
      body: JSON.stringify({ tasks: ["x"] }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      __type: "MissingAuthenticationTokenException",
      message: "Missing Authentication Token",
    });
  });

  it("verifies SigV4: a wrong secret, an unknown key or another region is refused before anything runs", async () => {
    const before = ecs.tasks.size;
    const as = (c: typeof credentials, region = "us-east-1") =>
      new ECSClient({ endpoint: ecs.url, region, credentials: c, maxAttempts: 1 }).send(new RunTaskCommand(runInput));
    await expect(as({ ...credentials, secretAccessKey: "guess" })).rejects.toMatchObject({
      name: "InvalidSignatureException",
      $metadata: { httpStatusCode: 403 },
    });
    await expect(as({ accessKeyId: "AKIDSTRANGER", secretAccessKey: "secret" })).rejects.toMatchObject({
      name: "UnrecognizedClientException",
    });
    await expect(as(credentials, "eu-west-1")).rejects.toMatchObject({ name: "InvalidSignatureException" });
    expect(ecs.tasks.size).toBe(before);
  });

  it("runs, describes and stops a task through the real SDK; unknown tasks are MISSING", async () => {
    const run = await client.send(new RunTaskCommand({ ...runInput, startedBy: "me", clientToken: "tok-1" }));
    const arn = run.tasks![0]!.taskArn!;
    expect(run.tasks![0]!.lastStatus).toBe("PROVISIONING");
    // The client token makes RunTask idempotent.
    const again = await client.send(new RunTaskCommand({ ...runInput, clientToken: "tok-1" }));
    expect(again.tasks![0]!.taskArn).toBe(arn);

    const described = await client.send(new DescribeTasksCommand({ cluster: "c1", tasks: [arn, "nope"] }));
    expect(described.tasks![0]!.createdAt).toBeInstanceOf(Date);
    expect(described.failures).toEqual([{ arn: "nope", reason: "MISSING" }]);

    const stopped = await client.send(new StopTaskCommand({ cluster: "c1", task: arn, reason: "done" }));
    expect(stopped.task).toMatchObject({ desiredStatus: "STOPPED", stopCode: "UserInitiated", stoppedReason: "done" });
  });

  it("maps faults and bad requests onto named SDK errors", async () => {
    ecs.setFault({ throttle: 1 });
    await expect(client.send(new DescribeTasksCommand({ cluster: "c1", tasks: ["a"] }))).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      client.send(new DescribeTasksCommand({ cluster: "c1", tasks: Array.from({ length: 101 }, (_, i) => `t${i}`) })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(
      client.send(new RunTaskCommand({ cluster: "c1", taskDefinition: "fam", launchType: "FARGATE" })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
    await expect(client.send(new StopTaskCommand({ cluster: "c1", task: "ghost" }))).rejects.toMatchObject({
      name: "InvalidParameterException",
    });
    ecs.setFault({ runTaskFailures: 1, runTaskFailureReason: "RESOURCE:MEMORY" });
    const refused = await client.send(new RunTaskCommand(runInput));
    expect(refused.tasks).toEqual([]);
    expect(refused.failures![0]!.reason).toBe("RESOURCE:MEMORY");
  });
});
