import path from "node:path";
import {
  BedrockAgentCoreControlClient,
  CreateAgentRuntimeCommand,
  CreateAgentRuntimeEndpointCommand,
  GetAgentRuntimeCommand,
  GetAgentRuntimeEndpointCommand,
  UpdateAgentRuntimeCommand,
  UpdateAgentRuntimeEndpointCommand,
  type CreateAgentRuntimeCommandInput,
} from "@aws-sdk/client-bedrock-agentcore-control";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageCode } from "@/lib/deploy/hosts/agentcore/package";
import { TEST_CREDENTIALS, TEST_REGION, testClient } from "@/test/fixtures/agentcore";
import { waitFor } from "@/test/fixtures/runtime";
import { startAgentCoreControlServer, type AgentCoreControlServer } from "./agentcore-control-server";
import { startAgentCoreServer, type AgentCoreServer } from "./agentcore-server";
import { startS3Server, type S3Server } from "./s3-server";

let s3: S3Server;
let control: AgentCoreControlServer;
let data: AgentCoreServer;
let client: BedrockAgentCoreControlClient;
const ROLE = "arn:aws:iam::123456789012:role/agentcore-runtime";
const code = packageCode(path.resolve("test/fixtures/deploy-agents"));

beforeAll(async () => {
  s3 = await startS3Server({ credentials: TEST_CREDENTIALS, buckets: ["artifacts"] });
  control = await startAgentCoreControlServer({
    credentials: TEST_CREDENTIALS,
    object: (b, k) => s3.get(b, k)?.body,
  });
  data = await startAgentCoreServer({ credentials: TEST_CREDENTIALS, agents: {}, deployed: control.deployed });
  client = new BedrockAgentCoreControlClient({
    region: TEST_REGION,
    endpoint: control.url,
    credentials: TEST_CREDENTIALS,
    maxAttempts: 1,
  });
  const s3c = new S3Client({
    region: TEST_REGION,
    endpoint: s3.url,
    forcePathStyle: true,
    credentials: TEST_CREDENTIALS,
  });
  await s3c.send(new PutObjectCommand({ Bucket: "artifacts", Key: `a/1/${code.sha256}.zip`, Body: code.zip }));
});
afterAll(async () => {
  await data?.close();
  await control?.close();
  await s3?.close();
});

const input = (entry: string, name = "agent_one"): CreateAgentRuntimeCommandInput => ({
  agentRuntimeName: name,
  agentRuntimeArtifact: {
    codeConfiguration: {
      code: { s3: { bucket: "artifacts", prefix: `a/1/${code.sha256}.zip` } },
      entryPoint: [entry],
      runtime: "NODE_22",
    },
  },
  roleArn: ROLE,
  networkConfiguration: { networkMode: "PUBLIC" },
  lifecycleConfiguration: { idleRuntimeSessionTimeout: 900, maxLifetime: 28_800 },
});

const endpointReady = (id: string, name: string) =>
  waitFor(async () => {
    const e = await client.send(new GetAgentRuntimeEndpointCommand({ agentRuntimeId: id, endpointName: name }));
    return e.status === "READY" || e.status?.endsWith("FAILED") ? e : undefined;
  }, `endpoint ${name}`);

describe("AgentCore control-plane double through the real client", () => {
  it("creates a runtime from code in S3, versions it, and serves each endpoint's version on the data plane", async () => {
    const created = await client.send(new CreateAgentRuntimeCommand(input("steady/server.mjs")));
    expect(created).toMatchObject({ agentRuntimeVersion: "1", status: "CREATING" });
    const id = created.agentRuntimeId!;
    await waitFor(async () => {
      const rt = await client.send(new GetAgentRuntimeCommand({ agentRuntimeId: id }));
      return rt.status === "READY" ? rt : undefined;
    }, "runtime READY");
    await client.send(
      new CreateAgentRuntimeEndpointCommand({ agentRuntimeId: id, name: "prod", agentRuntimeVersion: "1" }),
    );
    expect(await endpointReady(id, "prod")).toMatchObject({ status: "READY", liveVersion: "1" });

    const updated = await client.send(
      new UpdateAgentRuntimeCommand({ ...input("failing/server.mjs"), agentRuntimeId: id }),
    );
    expect(updated.agentRuntimeVersion).toBe("2");
    const v1 = await client.send(new GetAgentRuntimeCommand({ agentRuntimeId: id, agentRuntimeVersion: "1" }));
    expect(v1.agentRuntimeArtifact?.codeConfiguration?.entryPoint).toEqual(["steady/server.mjs"]);
    expect(v1.lifecycleConfiguration).toEqual({ idleRuntimeSessionTimeout: 900, maxLifetime: 28_800 });
    await client.send(
      new CreateAgentRuntimeEndpointCommand({ agentRuntimeId: id, name: "prod_next", agentRuntimeVersion: "2" }),
    );
    expect(await endpointReady(id, "prod_next")).toMatchObject({ liveVersion: "2" });

    const invoker = testClient(data);
    const a = await invoker.invokeAgent(created.agentRuntimeArn!, "hi", undefined, {
      qualifier: "prod",
      transport: "http",
    });
    expect(a.response).toMatch(/^steady .*: hi/);
    await expect(
      invoker.invokeAgent(created.agentRuntimeArn!, "hi", undefined, { qualifier: "prod_next", transport: "http" }),
    ).rejects.toThrow();
    const moving = await client.send(
      new UpdateAgentRuntimeEndpointCommand({ agentRuntimeId: id, endpointName: "prod", agentRuntimeVersion: "2" }),
    );
    expect(moving).toMatchObject({ status: "UPDATING", liveVersion: "1", targetVersion: "2" });
    expect(await endpointReady(id, "prod")).toMatchObject({ status: "READY", liveVersion: "2" });
  });

  it("answers AgentCore's errors: validation, not found, conflict, throttling", async () => {
    await expect(client.send(new CreateAgentRuntimeCommand({ ...input("x.mjs", "bad-name") }))).rejects.toMatchObject({
      name: "ValidationException",
    });
    await expect(
      client.send(
        new CreateAgentRuntimeCommand({
          ...input("x.mjs", "no_code"),
          agentRuntimeArtifact: {
            codeConfiguration: {
              code: { s3: { bucket: "artifacts", prefix: "missing.zip" } },
              entryPoint: ["x"],
              runtime: "NODE_22",
            },
          },
        }),
      ),
    ).rejects.toMatchObject({ name: "ValidationException" });
    await expect(client.send(new GetAgentRuntimeCommand({ agentRuntimeId: "nope-0000000000" }))).rejects.toMatchObject({
      name: "ResourceNotFoundException",
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new CreateAgentRuntimeCommand(input("steady/server.mjs")))).rejects.toMatchObject({
      name: "ConflictException",
    });
    control.setFault({ conflict: 1 });
    await expect(
      client.send(new CreateAgentRuntimeCommand(input("steady/server.mjs", "agent_two"))),
    ).rejects.toMatchObject({
      name: "ConflictException",
      $metadata: { httpStatusCode: 409 },
    });
    control.setFault({ throttle: 1 });
    await expect(
      client.send(new CreateAgentRuntimeCommand(input("steady/server.mjs", "agent_two"))),
    ).rejects.toMatchObject({
      name: "ThrottlingException",
      $metadata: { httpStatusCode: 429 },
    });
    const bad = new BedrockAgentCoreControlClient({
      region: TEST_REGION,
      endpoint: control.url,
      credentials: { ...TEST_CREDENTIALS, secretAccessKey: "wrong" },
      maxAttempts: 1,
    });
    await expect(bad.send(new GetAgentRuntimeCommand({ agentRuntimeId: "x" }))).rejects.toMatchObject({
      name: "InvalidSignatureException",
    });
  });

  it("keeps an endpoint UPDATING for ever, and fails one whose code cannot start, with the reason", async () => {
    const created = await client.send(new CreateAgentRuntimeCommand(input("steady/server.mjs", "agent_three")));
    const id = created.agentRuntimeId!;
    control.setFault({ endpointNeverReady: 1 });
    await client.send(
      new CreateAgentRuntimeEndpointCommand({ agentRuntimeId: id, name: "stuck", agentRuntimeVersion: "1" }),
    );
    await client.send(
      new CreateAgentRuntimeEndpointCommand({ agentRuntimeId: id, name: "fine", agentRuntimeVersion: "1" }),
    );
    expect(await endpointReady(id, "fine")).toMatchObject({ status: "READY" });
    expect(
      (await client.send(new GetAgentRuntimeEndpointCommand({ agentRuntimeId: id, endpointName: "stuck" }))).status,
    ).toBe("CREATING");
    await client.send(new UpdateAgentRuntimeCommand({ ...input("missing/entry.mjs"), agentRuntimeId: id }));
    await client.send(
      new UpdateAgentRuntimeEndpointCommand({ agentRuntimeId: id, endpointName: "fine", agentRuntimeVersion: "2" }),
    );
    const failed = await endpointReady(id, "fine");
    expect(failed).toMatchObject({ status: "UPDATE_FAILED", liveVersion: "1" });
    expect(failed.failureReason).toMatch(/exited/);
  });
});
