import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { deploymentInstances } from "@/db/schema";
import { GET as healthRoute } from "@/app/api/health/route";
import { setupTestDatabase } from "@/test/db";
import { b64, deployRequest } from "@/test/fixtures/deploy";
import { invokeDeployed, ownedAgent, settled, setupTestController } from "@/test/fixtures/deployments";
import { waitFor } from "@/test/fixtures/runtime";
import { call } from "@/test/http";
import { FORK_PROBE, PROMPT_SERVER } from "@/test/fixtures/sandbox-probes";
import { POST as deployRoute } from "./route";

/*
 * The sandbox's limits through the product path: an owner uploads a bundle that tries to fork a thousand processes
 * and to allocate far past its memory_limit; the controller deploys it like any other and a call through the
 * invocation endpoint makes it try. The process limit refuses almost every fork (the bundle counts them), the
 * memory limit kills the allocation (the instance ends "out of memory"), and the app goes on: a healthy version
 * answers afterwards and GET /api/health is 200. The limits are kept small (64 processes, 128 MB) so the test
 * cannot hurt the machine.
 */

setupTestDatabase();
setupTestController();

const GREEDY = String.raw`
import http from "node:http";
import { spawn } from "node:child_process";

${FORK_PROBE}
function allocate(mb) {
  const keep = [];
  for (let i = 0; i < mb; i++) keep.push(Buffer.alloc(1 << 20, 1));
  return { allocated_mb: keep.length };
}

async function answer(prompt) {
  const [kind, arg] = String(prompt).split(":");
  return kind === "fork" ? await fork(Number(arg)) : kind === "memory" ? allocate(Number(arg)) : { hello: true };
}
${PROMPT_SERVER}`;

const HEALTHY = String.raw`
import http from "node:http";
http.createServer((req, res) => {
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify({ response: "still here" }));
}).listen(Number(process.env.PORT), process.env.HOST ?? "127.0.0.1");
`;

async function deploy(source: string, memoryLimit = 128) {
  const t = await ownedAgent();
  const res = await call(deployRoute, "/api/agents/deploy", {
    headers: t.owner.headers,
    body: deployRequest(t.agent, {
      code: { source_code: b64(source), entrypoint: "server.mjs", configuration: { memory_limit: memoryLimit } },
      config: { environment: "prod" },
    }),
  });
  expect(res.status).toBe(202);
  expect((await settled(res.body.deployment_id as string)).status).toBe("deployed");
  return t;
}

async function appStaysHealthy(healthy: Awaited<ReturnType<typeof deploy>>) {
  const r = await invokeDeployed(healthy, "are you there?");
  expect(r.status).toBe(200);
  expect(r.body.response).toBe("still here");
  const h = await call(healthRoute, "/api/health");
  expect(h.status).toBe(200);
}

describe("an uploaded bundle that tries to exhaust the machine", () => {
  it("cannot fork a thousand processes: the process limit refuses almost all, and the app stays healthy", async () => {
    const greedy = await deploy(GREEDY);
    const healthy = await deploy(HEALTHY);

    const r = await invokeDeployed(greedy, "fork:1000");
    expect(r.status).toBe(200);
    const { started, refused } = JSON.parse(r.body.response as string) as { started: number; refused: number };
    // 64 processes and threads per sandbox (the node runtimes' own threads count too).
    expect(started).toBeLessThan(64);
    expect(started + refused).toBe(1000);
    expect(refused).toBeGreaterThan(936);

    // The same instance answers again once its children are gone, and so does everything else.
    const again = await invokeDeployed(greedy, "hello");
    expect(again.status).toBe(200);
    expect(JSON.parse(again.body.response as string)).toEqual({ hello: true });
    await appStaysHealthy(healthy);
  });

  it("cannot allocate past its memory_limit: the allocation dies with the instance, and the app stays healthy", async () => {
    const greedy = await deploy(GREEDY, 128);
    const healthy = await deploy(HEALTHY);

    const r = await invokeDeployed(greedy, "memory:400");
    // The agent never answers "allocated": its sandbox is killed mid-allocation and the call fails as ours to report.
    expect(r.status).toBeGreaterThanOrEqual(500);
    expect(JSON.stringify(r.body)).not.toContain("allocated_mb");

    // The instance that tried ended out of memory, with the reason on its row.
    const db = await getDb();
    const ended = await waitFor(async () => {
      const rows = await db
        .select()
        .from(deploymentInstances)
        .where(and(eq(deploymentInstances.agentId, greedy.agent.id), eq(deploymentInstances.status, "failed")));
      return rows[0];
    }, "the greedy instance to be marked failed");
    expect(ended.reason).toMatch(/out of memory \(limit 128 MB\)/);

    await appStaysHealthy(healthy);
  });
});
