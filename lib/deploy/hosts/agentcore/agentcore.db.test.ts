import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { deploymentInstances } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { OPERATOR_ENV, setupAwsDoubles } from "@/test/fixtures/aws-deploy";
import { deployRequest } from "@/test/fixtures/deploy";
import {
  callStream,
  createVersion,
  invokeDeployed,
  ownedAgent,
  routeOf,
  settled,
  startDeployment,
} from "@/test/fixtures/deployments";
import { call } from "@/test/http";
import { POST as deployRoute } from "@/app/api/agents/deploy/route";
import { waitFor } from "@/test/fixtures/runtime";

/*
 * The deployment suite of the local host, on AgentCore: the real control-plane, S3 and invoke clients against the
 * doubles, whose endpoints run the test agents' code (zipped into the bucket) as real processes.
 */

setupTestDatabase();
const aws = setupAwsDoubles();

async function live(t: { agent: { id: string } }, version: { id: string }) {
  const id = await startDeployment({
    agentId: t.agent.id,
    versionId: version.id,
    strategy: "initial",
    host: "agentcore",
  });
  const d = await settled(id);
  expect(d.reason).toBeNull();
  expect(d.status).toBe("deployed");
  return d;
}

const rowsOf = async (agentId: string) =>
  (await getDb())
    .select()
    .from(deploymentInstances)
    .where(and(eq(deploymentInstances.agentId, agentId)));

const runtimeOf = (agentId: string) =>
  [...aws.control.runtimes.values()].find((r) => r.name === `agentmarket_${agentId.replace(/-/g, "")}`)!;

describe("AgentCore host", () => {
  it("deploys a first version: code in the bucket, a runtime with the operator's role, the prod endpoint READY, calls answered", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const d = await live(t, v1);
    expect(d.phases.find((p) => p.name === "package")?.logs.join("\n")).toMatch(
      /uploaded s3:\/\/agent-artifacts\/.+\.zip/,
    );
    const rt = runtimeOf(t.agent.id)!;
    const version = rt.versions.get("1")!;
    expect(version.roleArn).toBe(OPERATOR_ENV.AGENTCORE_EXECUTION_ROLE_ARN);
    expect(version.lifecycleConfiguration).toEqual({ idleRuntimeSessionTimeout: 900, maxLifetime: 28_800 });
    expect(version.artifact.codeConfiguration?.code.s3.prefix).toMatch(
      new RegExp(`^${t.agent.id}/${v1.version}/[0-9a-f]{64}\\.zip$`),
    );
    expect(rt.endpoints.get("prod")).toMatchObject({ status: "READY", liveVersion: "1" });
    const stream = callStream(t);
    await waitFor(() => (stream.seen.length >= 6 ? true : undefined), "calls answered");
    const seen = await stream.stop();
    expect(seen.filter((c) => c.status !== 200)).toEqual([]);
    expect(seen.every((c) => c.version === v1.version)).toBe(true);
  });

  it("rolls back a failing canary on its own; the prod endpoint never left the old version", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const v2 = await createVersion(t.agent.id, "failing");
    await live(t, v1);
    const stream = callStream(t);
    const id = await startDeployment({
      agentId: t.agent.id,
      versionId: v2.id,
      strategy: "canary",
      host: "agentcore",
      config: {
        evaluation_interval: 2,
        canary: {
          traffic_percentage: 50,
          duration: 5,
          success_criteria: { error_rate_threshold: 0.05, latency_threshold: 2000 },
        },
      },
    });
    const d = await settled(id);
    expect(d.status).toBe("rolled_back");
    expect(d.reason).toMatch(/^Rolled back automatically: error rate/);
    expect((await routeOf(t.agent.id))?.weights).toEqual([{ version_id: v1.id, weight: 100 }]);
    const rt = runtimeOf(t.agent.id)!;
    expect(rt.endpoints.get("prod")?.liveVersion).toBe("1");
    expect(rt.endpoints.get("prod_next")?.liveVersion).toBe("2");
    const after = Date.now() + 200;
    await waitFor(() => (stream.seen.filter((c) => c.at > after).length >= 10 ? true : undefined), "calls after");
    const seen = await stream.stop();
    expect(seen.some((c) => c.status !== 200)).toBe(true);
    expect(seen.filter((c) => c.at > after && (c.status !== 200 || c.version !== v1.version))).toEqual([]);
    await waitFor(
      async () =>
        (await rowsOf(t.agent.id)).some((r) => r.versionId === v2.id && r.status !== "stopped") ? undefined : true,
      "the canary's instance to stop",
    );
  });

  it("promotes a healthy canary: prod moves to the new runtime version, no call fails", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const v2 = await createVersion(t.agent.id, "steady");
    await live(t, v1);
    const stream = callStream(t);
    const id = await startDeployment({
      agentId: t.agent.id,
      versionId: v2.id,
      strategy: "canary",
      host: "agentcore",
      config: {
        canary: {
          traffic_percentage: 30,
          duration: 0.05,
          success_criteria: { error_rate_threshold: 0.05, latency_threshold: 2000 },
        },
      },
    });
    const d = await settled(id);
    expect(d.status).toBe("deployed");
    expect(d.phases.find((p) => p.name === "observe")?.logs.join("\n")).toMatch(/held its success criteria/);
    await waitFor(
      () => (runtimeOf(t.agent.id)!.endpoints.get("prod")?.liveVersion === "2" ? true : undefined),
      "prod promoted to version 2",
    );
    const later = Date.now();
    await waitFor(() => (stream.seen.filter((c) => c.at > later).length >= 10 ? true : undefined), "calls after");
    const seen = await stream.stop();
    expect(seen.filter((c) => c.status !== 200)).toEqual([]);
    expect(seen.some((c) => c.version === v1.version)).toBe(true);
    expect(seen.some((c) => c.version === v2.version)).toBe(true);
    expect((await routeOf(t.agent.id))?.weights).toEqual([{ version_id: v2.id, weight: 100 }]);
  });

  it("blue/green: the new version beside the old, all traffic switched with no failed call, the old retired", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    const v2 = await createVersion(t.agent.id, "steady");
    await live(t, v1);
    const stream = callStream(t);
    await waitFor(() => (stream.seen.length >= 6 ? true : undefined), "calls before the switch");
    const id = await startDeployment({
      agentId: t.agent.id,
      versionId: v2.id,
      strategy: "blue_green",
      host: "agentcore",
    });
    const d = await settled(id);
    expect(d.status).toBe("deployed");
    await waitFor(
      async () =>
        (await rowsOf(t.agent.id)).some((r) => r.versionId === v1.id && r.status !== "stopped") ? undefined : true,
      "the old version's instance to stop",
    );
    expect(runtimeOf(t.agent.id)!.endpoints.get("prod")?.liveVersion).toBe("2");
    const later = Date.now();
    await waitFor(() => (stream.seen.filter((c) => c.at > later).length >= 10 ? true : undefined), "calls after");
    const seen = await stream.stop();
    expect(seen.filter((c) => c.status !== 200)).toEqual([]);
    expect(seen.filter((c) => c.at > later && c.version !== v2.version)).toEqual([]);
  });

  it("fails a deployment whose endpoint never becomes READY, with the reason in the phase log", async () => {
    const t = await ownedAgent();
    const v1 = await createVersion(t.agent.id, "steady");
    aws.control.setFault({ endpointNeverReady: 1 });
    const id = await startDeployment({
      agentId: t.agent.id,
      versionId: v1.id,
      strategy: "initial",
      host: "agentcore",
    });
    const d = await settled(id, undefined, 60_000);
    expect(d.status).toBe("failed");
    expect(d.reason).toMatch(/endpoint prod did not become READY with version 1 within \d+ s \(CREATING/);
  });
  it("takes a source bundle through POST /api/agents/deploy, and refuses a caller's IAM role", async () => {
    const t = await ownedAgent();
    const deploy = (security?: Record<string, unknown>) =>
      call(deployRoute, "/api/agents/deploy", {
        key: t.key,
        body: deployRequest(t.agent, {
          config: { environment: "prod", host: "agentcore", ...(security ? { security } : {}) },
        }),
      });
    const foreign = await deploy({ iam_role_arn: "arn:aws:iam::999999999999:role/theirs" });
    expect(foreign.status).toBe(422);
    expect(JSON.stringify(foreign.body)).toContain("security.iam_role_arn");
    expect(runtimeOf(t.agent.id)).toBeUndefined();

    const res = await deploy();
    expect(res.status).toBe(202);
    const d = await settled((res.body as { deployment_id: string }).deployment_id);
    expect(d.reason).toBeNull();
    expect(d.status).toBe("deployed");
    expect(runtimeOf(t.agent.id)!.versions.get("1")!.roleArn).toBe(OPERATOR_ENV.AGENTCORE_EXECUTION_ROLE_ARN);
    const answer = await invokeDeployed(t, "hello");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("x-agent-version")).toBe("1.0.0");
  });
});
