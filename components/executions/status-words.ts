import type { Execution } from "@/lib/client/runtime-types";

/** The status as a sentence a person reads: what happened, and why when it went wrong. */
export function statusWords(e: Pick<Execution, "status" | "result" | "stopped_reason" | "timeout_s" | "exit_code">): {
  words: string;
  tone: "ok" | "bad" | "warn" | "neutral" | "accent";
} {
  switch (e.status) {
    case "queued":
      return { words: "Queued, waiting for a free slot", tone: "warn" };
    case "starting":
      return { words: "Starting", tone: "warn" };
    case "running":
      return { words: "Running", tone: "accent" };
    case "completed":
      return { words: "Completed", tone: "ok" };
    case "timeout":
      return { words: `Timed out after ${e.timeout_s} s`, tone: "bad" };
    case "failed": {
      const reason =
        e.result.error?.message ?? e.stopped_reason ?? (e.exit_code !== null ? `exit code ${e.exit_code}` : null);
      return { words: reason ? `Failed: ${reason}` : "Failed", tone: "bad" };
    }
    case "stopped":
      return { words: e.stopped_reason ? `Stopped: ${e.stopped_reason}` : "Stopped", tone: "neutral" };
  }
}

/** "1.2 s", "850 ms", "3m 4s"; a dash when unknown. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m ${s % 60}s`;
}
