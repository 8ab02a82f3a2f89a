import { sql } from "drizzle-orm";
import { bigserial, check, index, integer, jsonb, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { agents } from "./agents";
import { users } from "./users";

export const executionStatus = pgEnum("execution_status", ["starting", "running", "completed", "failed", "stopped"]);

/** One run of a runnable agent on a host (docs/agent-contract.md, Executions). */
export const executions = pgTable(
  "executions",
  {
    id: uuid().primaryKey().defaultRandom(),
    agentId: uuid()
      .notNull()
      .references(() => agents.id),
    startedByAgentId: uuid().references(() => agents.id),
    startedByUserId: uuid().references(() => users.id),
    host: text({ enum: ["local", "fargate"] }).notNull(),
    status: executionStatus().notNull().default("starting"),
    taskArn: text(),
    endpoint: text(),
    input: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    timeoutS: integer().notNull(),
    exitCode: integer(),
    stopCode: text(),
    stoppedReason: text(),
    // Host bookkeeping that survives an app restart (local: pid and port).
    hostState: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    startTime: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endTime: timestamp({ withTimezone: true }),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("executions_one_starter", sql`(${t.startedByAgentId} IS NULL) <> (${t.startedByUserId} IS NULL)`),
    index("executions_agent_idx").on(t.agentId, t.startTime.desc()),
    index("executions_live_idx")
      .on(t.status)
      .where(sql`${t.status} IN ('starting', 'running')`),
  ],
);

export const executionLogs = pgTable(
  "execution_logs",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    executionId: uuid()
      .notNull()
      .references(() => executions.id, { onDelete: "cascade" }),
    stream: text({ enum: ["stdout", "stderr", "system"] }).notNull(),
    line: text().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("execution_logs_execution_idx").on(t.executionId, t.id)],
);
