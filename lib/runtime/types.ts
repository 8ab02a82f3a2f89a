import type { executions } from "@/db/schema";
import type { FargateRuntime, LocalRuntime } from "./config";

export type ExecutionRow = typeof executions.$inferSelect;
export type ExecutionStatus = ExecutionRow["status"];
export type HostKind = ExecutionRow["host"];

export const LIVE_STATUSES = ["starting", "running"] as const satisfies readonly ExecutionStatus[];
export const TERMINAL_STATUSES = [
  "completed",
  "failed",
  "stopped",
  "timeout",
] as const satisfies readonly ExecutionStatus[];

export function isTerminal(status: ExecutionStatus): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

/** What a host knows about one execution; applied to the record by lib/runtime/lifecycle.ts. */
export interface Observation {
  status: ExecutionStatus;
  endpoint?: string | null;
  exitCode?: number | null;
  stopCode?: string | null;
  stoppedReason?: string | null;
  /** Merged into executions.host_state. */
  hostState?: Record<string, unknown>;
  /** A `system` log line recorded with the change. */
  log?: string;
}

export interface StartSpec {
  execution: ExecutionRow;
  agent: { id: string; name: string };
  runtime: StoredLocalRuntime | FargateRuntime;
  /** The owner's variables, decrypted for this start only (the local host passes them to the process). */
  secrets?: Record<string, string>;
}

export type StoredLocalRuntime = Omit<LocalRuntime, "env">;

export interface StartResult {
  taskArn: string | null;
  hostState: Record<string, unknown>;
}

const HOST_START_ERROR = "HostStartError";

/**
 * A start the host refused for a reason the caller should see (no capacity, bad task definition, an artifact
 * that is gone...). Its message is recorded on the execution, so it never carries a secret.
 */
export class HostStartError extends Error {
  override readonly name = HOST_START_ERROR;
  constructor(
    message: string,
    readonly stopCode: string | null = null,
  ) {
    super(message);
  }
}

/**
 * Whether an error is a HostStartError. Not `instanceof`: Next bundles a module once per bundle (route handlers,
 * instrumentation), so a class thrown by one copy is not an instance of another copy's class. The name is the brand.
 */
export function isHostStartError(err: unknown): err is HostStartError {
  return (
    err instanceof Error &&
    err.name === HOST_START_ERROR &&
    typeof err.message === "string" &&
    ((err as { stopCode?: unknown }).stopCode === undefined ||
      (err as { stopCode?: unknown }).stopCode === null ||
      typeof (err as { stopCode?: unknown }).stopCode === "string")
  );
}

/** One interface for every host that starts processes: the local machine or ECS Fargate. */
export interface Host {
  readonly kind: HostKind;
  start(spec: StartSpec): Promise<StartResult>;
  /** Current state of live executions, batched. An execution missing from the map has no news. */
  describe(rows: ExecutionRow[]): Promise<Map<string, Observation>>;
  /** Asks the host to stop (graceful, then forced). The record is already `stopped` when this is called. */
  stop(row: ExecutionRow, reason: string): Promise<void>;
}

/** Called by a host when it learns something on its own (a process answered /ping, or exited). */
export type Reporter = (executionId: string, observation: Observation) => Promise<void>;
