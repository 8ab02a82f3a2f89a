import { describe, expect, it, vi } from "vitest";
import { POST as deployRoute } from "@/app/api/agents/deploy/route";
import { GET as versionRoute } from "@/app/api/agents/[id]/versions/[version]/route";
import { getDb } from "@/db/client";
import { versionSchema } from "@/lib/api/contracts/versions";
import { serviceSchema } from "@/lib/api/contracts/services";
import * as serviceRoute from "@/app/api/services/[id]/route";
import * as servicesRoute from "@/app/api/services/route";
import { setupTestDatabase } from "@/test/db";
import { deployRequest } from "@/test/fixtures/deploy";
import { createAgent, createUser } from "@/test/fixtures/market";
import { call } from "@/test/http";
import { declaredInputSchema } from "./input-schema";

// The rollout itself is the controller's (not under test here): its queue only records the deployment.
vi.mock("@/lib/deploy/controller", () => ({ enqueueDeployment: async () => {} }));

setupTestDatabase();

const schema = {
  type: "object",
  description: "Counts words",
  properties: {
    text: { type: "string", format: "textarea", title: "Text" },
    top: { type: "integer", minimum: 1, maximum: 20, default: 5 },
  },
  required: ["text"],
};

async function ownedAgent() {
  const db = await getDb();
  const owner = await createUser(db);
  return { ...(await createAgent(db, { ownerUserId: owner.user.id })), owner };
}

function deployWith(a: Awaited<ReturnType<typeof ownedAgent>>, inputSchema: unknown, version = "1.0.0") {
  const body = deployRequest(a.agent, { version });
  return call(deployRoute, "/api/agents/deploy", {
    headers: a.owner.headers,
    body: { ...body, agent_metadata: { ...body.agent_metadata, input_schema: inputSchema } },
  });
}

describe("input_schema on deploy", () => {
  it("is stored on the version, shown on it, and is what the run form is generated from", async () => {
    const a = await ownedAgent();
    const res = await deployWith(a, schema);
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const v = await call(versionRoute, `/api/agents/${a.agent.id}/versions/1.0.0`, {
      headers: a.owner.headers,
      params: { id: a.agent.id, version: "1.0.0" },
    });
    expect(v.status, JSON.stringify(v.body)).toBe(200);
    expect(versionSchema.parse(v.body).input_schema).toEqual(schema);
    expect(await declaredInputSchema(await getDb(), a.agent.id, "dev")).toEqual(schema);
  });

  it("refuses what is not a form-able JSON Schema object with a 400 naming the field", async () => {
    const a = await ownedAgent();
    for (const bad of [
      { type: "array", items: { type: "string" } },
      { type: "object", properties: { x: { type: "string", pattern: "^a" } } },
      { type: "object", properties: { x: { type: "string" } }, required: ["y"] },
      "not a schema",
    ]) {
      const res = await deployWith(a, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(JSON.stringify(res.body.details)).toContain("input_schema");
    }
    expect(await declaredInputSchema(await getDb(), a.agent.id, "dev")).toBeNull();
  });
});

describe("input_schema on a service", () => {
  it("is accepted on creation, shown, changed or removed by PATCH, refused when malformed; the run form falls back to it", async () => {
    const a = await ownedAgent();
    const bad = await call(servicesRoute.POST, "/api/services", {
      headers: a.owner.headers,
      body: { agent_id: a.agent.id, name: "Counts", price_usd: 1, input_schema: { type: "string" } },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain("input_schema");

    const made = await call(servicesRoute.POST, "/api/services", {
      headers: a.owner.headers,
      body: { agent_id: a.agent.id, name: "Counts", price_usd: 1, input_schema: schema },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const service = serviceSchema.parse(made.body);
    expect(service.input_schema).toEqual(schema);
    // No version declares an input: the agent's run form is generated from its service's.
    expect(await declaredInputSchema(await getDb(), a.agent.id)).toEqual(schema);

    const patch = (body: unknown) =>
      call(serviceRoute.PATCH, `/api/services/${service.id}`, {
        headers: a.owner.headers,
        params: { id: service.id },
        method: "PATCH",
        body,
      });
    const other = { type: "object", properties: { url: { type: "string" } }, required: ["url"] };
    expect(serviceSchema.parse((await patch({ input_schema: other })).body).input_schema).toEqual(other);
    expect(serviceSchema.parse((await patch({ input_schema: null })).body).input_schema).toBeNull();
    expect(await declaredInputSchema(await getDb(), a.agent.id)).toBeNull();
  });
});
