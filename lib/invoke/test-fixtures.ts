import type { Queryable } from "@/db/client";
import { agents, apiKeys, executions, users } from "@/db/schema";
import { generateApiKey } from "@/lib/auth/api-keys";
import { SCOPES, type Scope } from "@/lib/auth/scopes";

/** Rows for the invoke tests, inserted directly. Not imported by application code. */
let n = 0;

export async function createUser(db: Queryable) {
  const [user] = await db
    .insert(users)
    .values({ email: `invoke-${++n}-${Date.now()}@example.test`, name: `user ${n}` })
    .returning();
  return user!;
}

export async function createAgent(
  db: Queryable,
  opts: {
    runtime?: Record<string, unknown> | null;
    ownerUserId?: string | null;
    status?: "active" | "busy" | "offline" | "retired";
    scopes?: Scope[];
  } = {},
): Promise<{ id: string; key: string }> {
  const [agent] = await db
    .insert(agents)
    .values({
      name: `invoke-agent-${++n}`,
      runtime: opts.runtime ?? null,
      ownerUserId: opts.ownerUserId ?? null,
      status: opts.status ?? "active",
    })
    .returning({ id: agents.id });
  const k = generateApiKey();
  await db
    .insert(apiKeys)
    .values({ agentId: agent!.id, keyHash: k.hash, suffix: k.suffix, scopes: [...(opts.scopes ?? SCOPES)] });
  return { id: agent!.id, key: k.key };
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
