import type { z } from "zod";
import type { executionLogSchema, executionSchema } from "@/lib/api/contracts/executions";
import type { ExecutionRow } from "./types";

/** An execution as the API shows it (executionSchema): a process run (POST /api/agents/{id}/run) and a deployed execution (POST /api/agents/{id}/execute), one record (docs/agent-contract.md, Executions). */
export type ExecutionJson = z.infer<typeof executionSchema>;
export type ExecutionLogJson = z.infer<typeof executionLogSchema>;

export const PRIORITIES = ["low", "normal", "high"] as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A process run as a deployed execution's record shows it (docs/agent-contract.md, Executing deployed agents): it started when the row was made, and its result is its exit. */
function startedAt(row: ExecutionRow): Date | null {
  if (row.host !== "deployed") return row.startTime;
  return row.attempt > 0 ? row.startTime : null;
}

export function toExecutionRecord(row: ExecutionRow, agentName: string, logs?: ExecutionLogJson[]): ExecutionJson {
  const started = startedAt(row);
  const duration = started && row.endTime ? row.endTime.getTime() - started.getTime() : null;
  const usage = row.usage ?? { memory_used: null, cpu_time: null, tokens_used: null };
  return {
    execution_id: row.id,
    agent_id: row.agentId,
    agent_name: agentName,
    status: row.status,
    host: row.host,
    task_arn: row.taskArn,
    endpoint: row.endpoint,
    start_time: row.startTime.toISOString(),
    end_time: iso(row.endTime),
    input: row.input,
    timeout_s: row.timeoutS,
    exit_code: row.exitCode,
    stop_code: row.stopCode,
    stopped_reason: row.stoppedReason,
    environment: row.environment ?? null,
    version: row.version,
    priority: PRIORITIES[row.priority] ?? "normal",
    async: row.async,
    progress: row.status === "completed" ? 100 : row.progress,
    started_at: iso(started),
    completed_at: iso(row.endTime),
    result: {
      output: row.output ?? null,
      error: row.error ?? errorOfProcess(row),
      metadata: {
        execution_time: duration,
        memory_used: usage.memory_used,
        cpu_time: usage.cpu_time,
        tokens_used: usage.tokens_used,
      },
    },
    performance: {
      started_at: iso(started),
      completed_at: iso(row.endTime),
      duration,
      memory_peak: usage.memory_used,
      cpu_time: usage.cpu_time,
      queue_time: row.host === "deployed" ? row.queueTimeMs : 0,
    },
    attempts: row.attempts,
    callback_url: row.callbackUrl,
    callback_status: row.callbackStatus ?? null,
    callbacks: row.callbacks,
    ...(logs ? { logs } : {}),
  };
}

/** A process run's failure in a deployed execution's words (`error`): its stop reason or exit code. */
function errorOfProcess(row: ExecutionRow): ExecutionJson["result"]["error"] {
  if (row.host === "deployed" || row.status === "completed" || !["failed", "stopped"].includes(row.status)) {
    return null;
  }
  return {
    code: row.stopCode ?? (row.exitCode !== null ? "NonZeroExit" : "Failed"),
    message: row.stoppedReason ?? `Exited with code ${row.exitCode ?? "unknown"}`,
    details: { exit_code: row.exitCode },
  };
}

/** The part of the record carried in status events (no input: it may be large and is in the record). */
export function statusSnapshot(row: ExecutionRow): Record<string, unknown> {
  return {
    execution_id: row.id,
    agent_id: row.agentId,
    status: row.status,
    host: row.host,
    task_arn: row.taskArn,
    endpoint: row.endpoint,
    end_time: row.endTime ? row.endTime.toISOString() : null,
    exit_code: row.exitCode,
    stop_code: row.stopCode,
    stopped_reason: row.stoppedReason,
    ...(row.host === "deployed" ? { version: row.version, attempt: row.attempt, error: row.error } : {}),
  };
}
