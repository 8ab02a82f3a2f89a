import { sql } from "drizzle-orm";
import { bigserial, boolean, check, index, integer, jsonb, pgEnum, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { instant, madeAt, partOf, primaryId } from "./columns";
import { agents } from "./agents";
import { jobs } from "./jobs";
import { users } from "./users";

export const executionStatus = pgEnum("execution_status", [
  "queued",
  "starting",
  "running",
  "completed",
  "failed",
  "stopped",
  "timeout",
]);

/** One attempt of an execution through the router (`retry_config`; docs/agent-contract.md, Executing deployed agents): when, on which version, how it ended. */
export interface ExecutionAttempt {
  attempt: number;
  started_at: string;
  ended_at: string;
  version: string | null;
  outcome: "completed" | "failed" | "timeout" | "retry";
  error: string | null;
}

/** One delivery attempt of an execution's callback. */
export interface CallbackAttempt {
  attempt: number;
  at: string;
  status_code: number | null;
  outcome: "delivered" | "failed" | "refused" | "gone";
  error: string | null;
}

export interface ExecutionError {
  code: string;
  message: string;
  details: Record<string, unknown>;
}

/** What the agent reported about its own use (`result.metadata`). */
export interface ExecutionUsage {
  memory_used: number | null;
  cpu_time: number | null;
  tokens_used: number | null;
}

export interface RetryConfig {
  max_retries: number;
  retry_delay: number;
  backoff_multiplier: number;
}

/**
 * One run of an agent (docs/agent-contract.md, Executions): either a process on a host (`local`, `fargate`:
 * POST /api/agents/{id}/run) or a call through the deployment router to a deployed version (`deployed`: POST
 * /api/agents/{id}/execute, queued, retried and called back). One record, one serializer (lib/runtime/serialize.ts).
 */
export const executions = pgTable(
  "executions",
  {
    id: primaryId(),
    agentId: uuid()
      .notNull()
      .references(() => agents.id),
    startedByAgentId: uuid().references(() => agents.id),
    startedByUserId: uuid().references(() => users.id),
    host: text({ enum: ["local", "fargate", "deployed"] }).notNull(),
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
    startTime: madeAt(),
    endTime: instant(),
    updatedAt: madeAt(),
    // Deployed executions (host `deployed`) only, below.
    environment: text({ enum: ["dev", "staging", "prod"] }),
    /** The version that answered the last attempt. */
    version: text(),
    /** 0 low, 1 normal, 2 high (pg-boss priority: higher first). */
    priority: integer().notNull().default(1),
    async: boolean().notNull().default(false),
    /** input_data.context and monitoring as given. */
    context: jsonb().$type<Record<string, unknown>>(),
    monitoring: jsonb().$type<Record<string, unknown>>(),
    retryConfig: jsonb().$type<RetryConfig>(),
    /** SHA-256 of the request body: an `execution_id` replayed with another body is 422. */
    requestHash: text(),
    callbackUrl: text(),
    callbackStatus: text({ enum: ["pending", "delivered", "failed", "gone"] }),
    callbacks: jsonb().$type<CallbackAttempt[]>().notNull().default([]),
    output: jsonb().$type<unknown>(),
    error: jsonb().$type<ExecutionError>(),
    usage: jsonb().$type<ExecutionUsage>(),
    progress: integer(),
    attempt: integer().notNull().default(0),
    attempts: jsonb().$type<ExecutionAttempt[]>().notNull().default([]),
    queuedAt: instant(),
    /** A queued execution is not dispatched before this (a retry's backoff). */
    dueAt: instant(),
    /** Set when it first ran: from queued_at to then. */
    queueTimeMs: integer(),
    /** A running attempt past this was lost with its worker: the next worker start takes it back. */
    leaseUntil: instant(),
    /** The job this execution fulfils (an auto-fulfilled service's hire or revision; lib/market/job-auto.ts). */
    jobId: uuid().references(() => jobs.id, { onDelete: "set null" }),
  },
  (t) => [
    check("executions_one_starter", sql`(${t.startedByAgentId} IS NULL) <> (${t.startedByUserId} IS NULL)`),
    index("executions_agent_idx").on(t.agentId, t.startTime.desc()),
    index("executions_live_idx")
      .on(t.status)
      .where(sql`${t.status} IN ('starting', 'running')`),
    // The next queued execution of a deployment, by priority then age, and its running count. Not partial on
    // status: the enum value 'queued' is new in the same migration, which a predicate may not use yet.
    index("executions_job_idx")
      .on(t.jobId)
      .where(sql`${t.jobId} IS NOT NULL`),
    index("executions_queue_idx").on(t.agentId, t.environment, t.status, t.priority.desc(), t.queuedAt),
    // "My runs" (GET /api/executions), newest first; and the per-caller limit's count of unfinished executions
    // (not partial on status: a migration run may add an enum value in the same transaction, see above).
    index("executions_started_by_user_idx").on(t.startedByUserId, t.startTime.desc()),
    index("executions_started_by_agent_idx").on(t.startedByAgentId, t.startTime.desc()),
    index("executions_user_status_idx").on(t.startedByUserId, t.status),
    index("executions_agent_status_idx").on(t.startedByAgentId, t.status),
  ],
);

export const executionLogs = pgTable(
  "execution_logs",
  {
    id: bigserial({ mode: "number" }).primaryKey(),
    executionId: partOf(() => executions.id),
    stream: text({ enum: ["stdout", "stderr", "system"] }).notNull(),
    line: text().notNull(),
    createdAt: madeAt(),
  },
  (t) => [index("execution_logs_execution_idx").on(t.executionId, t.id)],
);
