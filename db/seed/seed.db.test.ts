import { count, eq, gt, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAllowedRuntimeArns, demoEcsOperatorEnv } from "./demo-agents";
import { setTestEnv } from "@/test/fixtures/runtime";
import { setupTestDatabase } from "@/test/db";
import { seedIfEmpty } from "./index";
import { inTransaction } from "@/lib/db";
import { grantFaucet } from "@/lib/ledger/top-ups";
import {
  agentRoutes,
  agents,
  agentVersions,
  deployments,
  events,
  jobs,
  ledgerAccounts,
  messages,
  services,
  users,
} from "../schema";

const t = setupTestDatabase();

// As `npm run dev` configures the app for its local AWS endpoints: the operator allows the demo Fargate family
// and AgentCore runtimes, so the seed includes them.
const operator = { ...demoEcsOperatorEnv(), AGENTCORE_ALLOWED_RUNTIME_ARNS: demoAllowedRuntimeArns() };
beforeAll(() => setTestEnv(operator));
afterAll(() => setTestEnv(Object.fromEntries(Object.keys(operator).map((k) => [k, undefined]))));

describe("demo data", () => {
  it("seeds once: every job status, ratings, messages, runnable and invocable agents", async () => {
    const database = t.current.database;
    expect(await seedIfEmpty(database)).toBe(true);
    const db = database.db;

    const statuses = await db.select({ status: jobs.status, n: count() }).from(jobs).groupBy(jobs.status);
    expect(statuses.map((s) => s.status).sort()).toEqual(
      ["cancelled", "completed", "delivered", "failed", "in_progress", "pending", "revision_requested"].sort(),
    );
    const rated = await db.select({ n: count() }).from(agents).where(gt(agents.ratingCount, 0));
    expect(rated[0]?.n).toBeGreaterThanOrEqual(4);
    // Enough repeat business for the "top agents" lists, which need 3 ratings.
    const regulars = await db.select({ n: count() }).from(agents).where(gt(agents.ratingCount, 2));
    expect(regulars[0]?.n).toBeGreaterThanOrEqual(3);
    // A month of history for the charts, and no job in the future.
    const days = await db
      .select({ n: sql<number>`count(DISTINCT date_trunc('day', ${jobs.createdAt}))::int` })
      .from(jobs);
    expect(days[0]?.n).toBeGreaterThanOrEqual(15);
    const future = await db
      .select({ n: count() })
      .from(jobs)
      .where(sql`${jobs.completedAt} > now()`);
    expect(future[0]?.n).toBe(0);
    const kinds = await db
      .select({ kind: sql<string>`${agents.runtime}->>'kind'`, n: count() })
      .from(agents)
      .groupBy(sql`${agents.runtime}->>'kind'`);
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind ?? "none", k.n]));
    expect(byKind.local).toBeGreaterThanOrEqual(3);
    expect(byKind.fargate).toBeGreaterThanOrEqual(1);
    expect(byKind.agentcore).toBeGreaterThanOrEqual(1);
    expect((await db.select({ n: count() }).from(services))[0]?.n).toBeGreaterThanOrEqual(15);
    expect((await db.select({ n: count() }).from(messages))[0]?.n).toBeGreaterThan(20);
    expect((await db.select({ n: count() }).from(users).where(eq(users.email, "demo@agent.market")))[0]?.n).toBe(1);
    const children = await db
      .select({ n: count() })
      .from(jobs)
      .where(sql`${jobs.parentJobId} IS NOT NULL`);
    expect(children[0]?.n).toBe(1);

    // Every change went through the domain verbs, so the event log tells the same story.
    const completedEvents = await db.select({ n: count() }).from(events).where(eq(events.type, "job_completed"));
    const completedJobs = statuses.find((s) => s.status === "completed")?.n;
    expect(completedEvents[0]?.n).toBe(completedJobs);

    // Three demo agents deployed: one live, one mid-canary, one rolled back (with its phase log and the owner told).
    const deployed = await db
      .select({ name: agents.name, status: deployments.status, strategy: deployments.strategy, d: deployments })
      .from(deployments)
      .innerJoin(agents, eq(agents.id, deployments.agentId))
      .orderBy(deployments.createdAt);
    const byAgent = (name: string) => deployed.filter((r) => r.name === name).map((r) => [r.strategy, r.status]);
    expect(byAgent("Text Stats")).toEqual([["initial", "deployed"]]);
    expect(byAgent("Sentiment Scorer")).toEqual([
      ["initial", "deployed"],
      ["canary", "deploying"],
    ]);
    expect(byAgent("Markdown Renderer")).toEqual([
      ["initial", "deployed"],
      ["canary", "rolled_back"],
    ]);
    const routes = await db
      .select({ name: agents.name, weights: agentRoutes.weights, live: agentVersions.version })
      .from(agentRoutes)
      .innerJoin(agents, eq(agents.id, agentRoutes.agentId))
      .innerJoin(agentVersions, eq(agentVersions.id, agentRoutes.liveVersionId));
    expect(routes.map((r) => [r.name, r.live, r.weights.length]).sort()).toEqual([
      ["Markdown Renderer", "1.0.0", 1],
      ["Sentiment Scorer", "1.0.0", 1],
      ["Text Stats", "1.0.0", 1],
    ]);
    // The canary waits for the controller (it runs when the app starts): 10% of traffic to 1.1.0 for a week.
    const inCanary = deployed.find((r) => r.status === "deploying")!.d;
    expect(inCanary.config).toMatchObject({ canary: { traffic_percentage: 10, duration: 7 * 24 * 60 } });
    const back = deployed.find((r) => r.status === "rolled_back")!.d;
    expect(back.reason).toBe("Rolled back automatically: 3 consecutive health checks failed (limit 3)");
    expect(back.currentPhase).toBe("rollback");
    expect(back.phases.find((p) => p.name === "observe")).toMatchObject({ status: "failed" });
    expect(back.phases.find((p) => p.name === "rollback")?.logs.at(-1)).toMatch(/all traffic back to 1\.0\.0$/);
    // Two services of the deployed agents are fulfilled by the agent itself, bound to its prod deployment.
    const auto = await db
      .select({ name: services.name, bound: services.fulfilmentAgentId, seller: services.agentId })
      .from(services)
      .where(eq(services.fulfilment, "auto"));
    expect(auto).toHaveLength(2);
    for (const s of auto) expect(s.bound).toBe(s.seller);
    expect(auto.map((s) => s.name).every((n) => routes.some((r) => r.name === n))).toBe(true);
    const told = await db.select({ n: count() }).from(events).where(eq(events.type, "deployment_rolled_back"));
    expect(told[0]?.n).toBe(1);
    const rollbackMessages = await db
      .select({ n: count() })
      .from(messages)
      .where(sql`${messages.subject} LIKE 'Deployment of 1.1.0 to prod %'`);
    expect(rollbackMessages[0]?.n).toBe(1);

    // Second start: nothing more.
    expect(await seedIfEmpty(database)).toBe(false);
    expect((await db.select({ n: count() }).from(jobs))[0]?.n).toBe(statuses.reduce((a, s) => a + s.n, 0));
  });

  it("prices every runnable and invocable demo agent, and leaves the demo person's faucet allowance whole", async () => {
    const db = t.current.database.db;
    const hosted = await db
      .select({ run: agents.pricePerRun, call: agents.pricePerCall })
      .from(agents)
      .where(sql`${agents.runtime}->>'kind' IN ('local', 'fargate', 'agentcore')`);
    expect(hosted.length).toBeGreaterThanOrEqual(5);
    for (const a of hosted) {
      expect(a.run).toBeGreaterThan(0);
      expect(a.call).toBeGreaterThan(0);
    }
    const [person] = await db.select().from(users).where(eq(users.email, "demo@agent.market"));
    const [account] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.userId, person!.id));
    expect(account).toMatchObject({ faucetGranted: 0 });
    expect(account!.balance).toBeGreaterThan(0);
    // The wallet page's faucet still tops the demo person up.
    await inTransaction((tx) => grantFaucet(tx, account!.id, 5_000));
    const [after] = await db.select().from(ledgerAccounts).where(eq(ledgerAccounts.id, account!.id));
    expect(after!.balance - account!.balance).toBe(5_000);
  });
});
