import type { z } from "zod";
import type { executionSchema } from "@/lib/api/contracts/executions";
import type { ExecutionRow } from "./types";

/** An execution as the API shows it (executionSchema). */
export type ExecutionJson = z.infer<typeof executionSchema>;

export function toExecutionRecord(row: ExecutionRow, agentName: string): ExecutionJson {
  return {
    execution_id: row.id,
    agent_id: row.agentId,
    agent_name: agentName,
    status: row.status,
    host: row.host,
    task_arn: row.taskArn,
    endpoint: row.endpoint,
    start_time: row.startTime.toISOString(),
    end_time: row.endTime ? row.endTime.toISOString() : null,
    input: row.input,
    timeout_s: row.timeoutS,
    exit_code: row.exitCode,
    stop_code: row.stopCode,
    stopped_reason: row.stoppedReason,
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
  };
}
