import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { madeAt, primaryId } from "./columns";
import { agents } from "./agents";
import { agentVersions } from "./deployments";
import { users } from "./users";

/**
 * A conversation with an invocable agent (POST /api/agents/invoke). `target` names what was invoked: a configured
 * AgentCore agent ("config:onboarding"), a marketplace agent ("agent:<uuid>") or an execution ("execution:<uuid>").
 */
export const agentSessions = pgTable(
  "agent_sessions",
  {
    id: primaryId(),
    sessionId: text().notNull(),
    target: text().notNull(),
    agentId: uuid().references(() => agents.id, { onDelete: "set null" }),
    callerAgentId: uuid().references(() => agents.id, { onDelete: "cascade" }),
    callerUserId: uuid().references(() => users.id, { onDelete: "cascade" }),
    title: text().notNull().default(""),
    /** The session's answered invocations. */
    invocationCount: integer().notNull().default(0),
    /**
     * A deployed agent's session stays on the version that started it while that version serves
     * (lib/invoke/targets-deployed.ts); null for other targets.
     */
    versionId: uuid().references(() => agentVersions.id, { onDelete: "set null" }),
    createdAt: madeAt(),
    lastUsedAt: madeAt(),
  },
  (t) => [
    check("agent_sessions_one_caller", sql`(${t.callerAgentId} IS NULL) <> (${t.callerUserId} IS NULL)`),
    uniqueIndex("agent_sessions_session_key").on(t.sessionId),
    index("agent_sessions_caller_agent_idx").on(t.callerAgentId, t.lastUsedAt.desc()),
    index("agent_sessions_caller_user_idx").on(t.callerUserId, t.lastUsedAt.desc()),
  ],
);

/** One row per invocation, for metrics (count, duration, time to first chunk, chunks, errors by type). */
export const invocations = pgTable(
  "invocations",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    sessionId: text().notNull(),
    target: text().notNull(),
    transport: text({ enum: ["ws", "http"] }).notNull(),
    outcome: text().notNull(), // "ok" | "incomplete" | an error name
    chunks: integer().notNull().default(0),
    durationMs: integer().notNull(),
    firstChunkMs: integer(),
    createdAt: madeAt(),
  },
  (t) => [index("invocations_target_idx").on(t.target, t.createdAt.desc())],
);
