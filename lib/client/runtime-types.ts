import type { z } from "zod";
import type { executionSchema, logLineSchema } from "@/lib/api/contracts/executions";
import type { sessionView } from "@/lib/api/contracts/invoke";

/* Execution and invocation shapes, inferred from their contracts (type-only imports). */
export type Execution = z.infer<typeof executionSchema>;
export type ExecutionStatus = Execution["status"];
export type LogLine = z.infer<typeof logLineSchema>;

export type AgentSession = z.infer<typeof sessionView>;

export interface SessionList {
  data: AgentSession[];
  next_cursor: string | null;
}

/** What `event: done` of a streamed invocation carries. */
export interface InvokeDone {
  sessionId: string;
  incomplete?: true;
  metadata?: { chunks: number; duration: number };
}
