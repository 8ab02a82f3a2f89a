import type { ExecutionRow } from "./types";

/** The execution record (docs/agent-contract.md, Executions), in the API's snake_case. */
export interface ExecutionRecord {
  execution_id: string;
  agent_id: string;
  agent_name: string;
  status: ExecutionRow["status"];
  host: ExecutionRow["host"];
  task_arn: string | null;
  endpoint: string | null;
  start_time: string;
  end_time: string | null;
  input: Record<string, unknown>;
  timeout_s: number;
  exit_code: number | null;
  stop_code: string | null;
  stopped_reason: string | null;
}

export function toExecutionRecord(row: ExecutionRow, agentName: string): ExecutionRecord {
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
