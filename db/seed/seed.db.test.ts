import { count, eq, gt, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoAllowedRuntimeArns, demoEcsOperatorEnv } from "./demo-agents";
import { setTestEnv } from "@/test/fixtures/runtime";
import { setupTestDatabase } from "@/test/db";
import { seedIfEmpty } from "./index";
import { agents, events, jobs, messages, services, users } from "../schema";

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

    // Second start: nothing more.
    expect(await seedIfEmpty(database)).toBe(false);
    expect((await db.select({ n: count() }).from(jobs))[0]?.n).toBe(statuses.reduce((a, s) => a + s.n, 0));
  });
});
