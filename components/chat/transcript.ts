import type { z } from "zod";
import type { sessionDetail } from "@/lib/api/contracts/invoke";

/** One bubble of the transcript. */
export interface Turn {
  role: "you" | "agent";
  text: string;
  chunks?: number;
  state?: "streaming" | "done" | "incomplete" | "stopped" | "error";
}

export type SessionDetail = z.infer<typeof sessionDetail>;

/** The stored turns of a session as bubbles: each invocation's prompt, then its answer as far as it came. */
export function turnsOf(detail: SessionDetail): { turns: Turn[]; missing: number } {
  const turns: Turn[] = [];
  let missing = 0;
  for (const inv of detail.invocations) {
    if (inv.prompt === null) {
      missing++;
      continue;
    }
    turns.push({ role: "you", text: inv.prompt });
    const state: Turn["state"] =
      inv.outcome === "ok"
        ? "done"
        : inv.outcome === "incomplete"
          ? "incomplete"
          : inv.outcome === "cancelled"
            ? "stopped"
            : "error";
    const text = inv.answer || (state === "error" ? `The agent failed (${inv.outcome})` : "");
    turns.push({ role: "agent", text, chunks: inv.chunks, state });
  }
  return { turns, missing };
}
