import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents } from "@/db/schema";
import { createAgent } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { migrateLegacyRuntimes } from "./legacy";
import { listSecrets, secretValues } from "./secrets/store";

const t = setupTestDatabase();

describe("runtimes stored before the artifact shape and encrypted secrets (docs/agent-contract.md)", () => {
  it("take the artifact shape, move env into encrypted secrets (refused names dropped), and never keep a command", async () => {
    const { database } = t.current;
    const db = database.db;
    const demo = await createAgent(db, {
      runtime: {
        kind: "local",
        command: ["node", "agents/text-stats/server.mjs"],
        env: { API_TOKEN: "legacy-token-value-1234", NODE_OPTIONS: "--import=data:x", PATH: "/tmp" },
      },
    });
    const shell = await createAgent(db, { runtime: { kind: "local", command: ["sh", "-c", "id"] } });
    const oldFargate = await createAgent(db, {
      runtime: {
        kind: "fargate",
        cluster: "prod",
        task_definition: "agent-market-x:2",
        container_name: "agent",
        subnets: ["subnet-0a"],
        security_groups: [],
        assign_public_ip: true,
      },
    });
    const current = await createAgent(db, { runtime: { kind: "local", artifact: "sentiment" } });

    expect(await migrateLegacyRuntimes(database)).toBe(3);
    const runtimeOf = async (id: string) =>
      (await db.select({ r: agents.runtime }).from(agents).where(eq(agents.id, id)))[0]?.r;
    expect(await runtimeOf(demo.agent.id)).toEqual({ kind: "local", artifact: "text-stats" });
    expect(await secretValues(db, demo.agent.id)).toEqual({ API_TOKEN: "legacy-token-value-1234" });
    expect((await listSecrets(db, demo.agent.id)).map((s) => s.masked)).toEqual(["••••1234"]);
    expect(await runtimeOf(shell.agent.id)).toBeNull();
    expect(await runtimeOf(oldFargate.agent.id)).toEqual({
      kind: "fargate",
      task_definition: "agent-market-x:2",
      container_name: "agent",
    });
    expect(await runtimeOf(current.agent.id)).toEqual({ kind: "local", artifact: "sentiment" });
    expect(await migrateLegacyRuntimes(database)).toBe(0); // idempotent
  });
});
