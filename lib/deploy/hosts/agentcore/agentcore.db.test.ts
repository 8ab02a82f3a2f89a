import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { OPERATOR_ENV, setupAwsDoubles } from "@/test/fixtures/aws-deploy";
import { deployRequest } from "@/test/fixtures/deploy";
import {
  callStream,
  createVersion,
  invokeDeployed,
  ownedAgent,
  settled,
  startDeployment,
} from "@/test/fixtures/deployments";
import { call } from "@/test/http";
import { POST as deployRoute } from "@/app/api/agents/deploy/route";
import { deploymentSuite, rowsStopped } from "@/test/fixtures/deployment-suite";
import { waitFor } from "@/test/fixtures/runtime";

/*
 * Deployments on AgentCore: the real control-plane, S3 and invoke clients against the doubles, whose endpoints run
 * the test agents' code (zipped into the bucket) as real processes. What is particular to AgentCore here; the cases
 * every host passes are the shared deployment suite (test/fixtures/deployment-suite.ts), run at the end of this file.
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

/** The runtime version AgentCore made of a version (its description names the version's id). */
const runtimeVersionOf = (agentId: string, versionId: string) =>
  [...(runtimeOf(agentId)?.versions.values() ?? [])].find((v) => v.description?.includes(versionId))?.version;

deploymentSuite({
  host: "agentcore",
  version: (agentId, artifact) => createVersion(agentId, artifact),
  // Retired on AgentCore: its instance row ended and the environment's main endpoint no longer serves it.
  retired: async (agentId, version) => {
    const main = runtimeOf(agentId)?.endpoints.get("prod");
    const serving = main?.liveVersion === runtimeVersionOf(agentId, version.id);
    return (await rowsStopped(agentId, version.id)) && !serving ? true : undefined;
  },
  restart: () => aws.restart(),
});
