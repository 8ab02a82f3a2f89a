import type { z } from "zod";
import type { sessionDetail } from "@/lib/api/contracts/invoke";

/** One bubble of the transcript. */
export interface Bubble {
  role: "you" | "agent";
  text: string;
  chunks?: number;
  state?: "streaming" | "done" | "incomplete" | "stopped" | "error";
}

export type SessionDetail = z.infer<typeof sessionDetail>;

/** A session's stored invocations as bubbles: each invocation's prompt, then its answer as far as it came. */
export function bubblesOf(detail: SessionDetail): { bubbles: Bubble[]; missing: number } {
  const bubbles: Bubble[] = [];
  let missing = 0;
  for (const inv of detail.invocations) {
    if (inv.prompt === null) {
      missing++;
      continue;
    }
    bubbles.push({ role: "you", text: inv.prompt });
    const state: Bubble["state"] =
      inv.outcome === "ok"
        ? "done"
        : inv.outcome === "incomplete"
          ? "incomplete"
          : inv.outcome === "cancelled"
            ? "stopped"
            : "error";
    const text = inv.answer || (state === "error" ? `The agent failed (${inv.outcome})` : "");
    bubbles.push({ role: "agent", text, chunks: inv.chunks, state });
  }
  return { bubbles, missing };
}
