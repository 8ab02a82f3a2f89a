import { eq } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { agents, services } from "@/db/schema";
import { SCOPES } from "@/lib/auth/scopes";
import { createService } from "@/lib/market/services";
import { setupTestDatabase } from "@/test/db";
import { deployFakeAgent, type FakeAgent } from "@/test/fixtures/execute";
import { autoFulfilDemoServices } from "./auto-services";

setupTestDatabase();
let fake: FakeAgent | undefined;
afterAll(async () => fake?.close());

describe("autoFulfilDemoServices", () => {
  it("binds the owner's deployed agents' services to themselves, up to the limit", async () => {
    fake = await deployFakeAgent();
    const db = await getDb();
    const [agent] = await db.select().from(agents).where(eq(agents.id, fake.agentId));
    const owner = { kind: "user" as const, userId: agent!.ownerUserId!, scopes: SCOPES };
    const base = { description: "", price_usd: 2, output_type: "json", required_inputs: [], capabilities_required: [] };
    await createService(owner, fake.agentId, { ...base, name: "First" });
    await createService(owner, fake.agentId, { ...base, name: "Second" });
    expect(await autoFulfilDemoServices(owner, 1)).toEqual(["First"]);
    const rows = await db.select().from(services).where(eq(services.agentId, fake.agentId)).orderBy(services.name);
    expect(rows.map((r) => [r.name, r.fulfilment, r.fulfilmentAgentId, r.fulfilmentEnvironment])).toEqual([
      ["First", "auto", fake.agentId, "prod"],
      ["Second", "manual", null, null],
    ]);
  });
});
