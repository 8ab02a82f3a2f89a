import type { Queryable } from "@/db/client";
import { executions } from "@/db/schema";
import type { Scope } from "@/lib/auth/scopes";
import { createAgent as createMarketAgent } from "@/lib/market/test-fixtures";

/** Rows for the invoke tests, inserted directly (the market fixtures, in the shape these tests use). */
export async function createAgent(
  db: Queryable,
  opts: {
    runtime?: Record<string, unknown> | null;
    ownerUserId?: string | null;
    status?: "active" | "busy" | "offline" | "retired";
    scopes?: Scope[];
  } = {},
): Promise<{ id: string; key: string }> {
  const { agent, key } = await createMarketAgent(db, opts);
  return { id: agent.id, key };
}

export async function createExecution(
  db: Queryable,
  opts: { agentId: string; startedByAgentId: string; endpoint: string | null; status?: "running" | "completed" },
): Promise<string> {
  const [row] = await db
    .insert(executions)
    .values({
      agentId: opts.agentId,
      startedByAgentId: opts.startedByAgentId,
      host: "local",
      status: opts.status ?? "running",
      endpoint: opts.endpoint,
      timeoutS: 300,
    })
    .returning({ id: executions.id });
  return row!.id;
}
