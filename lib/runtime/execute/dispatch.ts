import "server-only";
import { inTransaction } from "@/lib/db";
import { log } from "@/lib/log";
import type { ExecutionRow } from "../types";
import { runAttempt } from "./attempt";
import { claimExecution } from "./claim";
import { finishAttempt } from "./finish";

/** Runs one claimed attempt to its end and writes it; returns the row as written (null if another change won). */
export async function runClaimed(row: ExecutionRow): Promise<ExecutionRow | null> {
  const started = new Date();
  const outcome = await runAttempt(row).catch((err: unknown) => {
    log().error({ err, execution: row.id }, "an execution attempt failed unexpectedly");
    return {
      kind: "failed" as const,
      version: null,
      transient: true,
      error: { code: "InternalError", message: "The attempt failed on our side", details: {} },
    };
  });
  return finishAttempt(row, outcome, started);
}

/** A queue job: claim the execution if it may run now, and run it. Waiting ones stay queued for a freed slot. */
export async function dispatch(id: string): Promise<void> {
  const row = await inTransaction((tx) => claimExecution(tx, id));
  if (row) await runClaimed(row);
}
