import "server-only";
import { and, asc, desc, eq, gt, sql } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import type { z } from "zod";
import { executionLogs } from "@/db/schema";
import type { logLineSchema } from "@/lib/api/contracts/executions";
import { log } from "@/lib/log";
import type { ExecutionLogJson } from "./serialize";

export const LOGS_CHANNEL = "execution_logs";
const MAX_LINE_CHARS = 8_000;
/** Lines kept per execution; past it one system line says the rest was dropped (a chatty agent cannot fill the disk). */
export const MAX_LINES_PER_EXECUTION = 20_000;

export type LogStream = "stdout" | "stderr" | "system";
export interface LogLine {
  stream: LogStream;
  line: string;
}

const clip = (line: string) => (line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS)}…` : line);

/** Inserts lines and wakes the log streams (NOTIFY is delivered on commit when inside a transaction). */
export async function insertLogs(q: Queryable, executionId: string, lines: LogLine[]): Promise<void> {
  if (lines.length === 0) return;
  await q.insert(executionLogs).values(lines.map((l) => ({ executionId, stream: l.stream, line: clip(l.line) })));
  await q.execute(sql`SELECT pg_notify(${LOGS_CHANNEL}, ${executionId})`);
}

/**
 * Buffers a process's output and writes it in batches (one INSERT per flush, at most every `intervalMs`),
 * so a chatty agent costs a few statements per second rather than one per line.
 */
export class LogBuffer {
  private pending: LogLine[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private written = 0;
  private truncated = false;

  constructor(
    private readonly executionId: string,
    private readonly intervalMs = 50,
    private readonly maxBatch = 200,
  ) {}

  push(stream: LogStream, line: string): void {
    if (this.truncated) return;
    if (this.written + this.pending.length >= MAX_LINES_PER_EXECUTION) {
      this.truncated = true;
      this.pending.push({
        stream: "system",
        line: `log limit of ${MAX_LINES_PER_EXECUTION} lines reached; later output dropped`,
      });
      void this.flush();
      return;
    }
    this.pending.push({ stream, line });
    if (this.pending.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.intervalMs);
  }

  /** Writes everything pushed so far; resolves once it is in the database. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.chain = this.chain.then(async () => {
      if (batch.length === 0) return;
      this.written += batch.length;
      try {
        await insertLogs(await getDb(), this.executionId, batch);
      } catch (err) {
        // Logs are best effort: a failed write must not take the execution down with it.
        log().error({ err, execution: this.executionId, lines: batch.length }, "could not write execution log lines");
      }
    });
    return this.chain;
  }
}

/** A log line as the API shows it (logLineSchema). */
export type LogLineJson = z.infer<typeof logLineSchema>;

export async function readLogs(
  q: Queryable,
  executionId: string,
  afterId: number,
  limit: number,
): Promise<LogLineJson[]> {
  const rows = await q
    .select()
    .from(executionLogs)
    .where(and(eq(executionLogs.executionId, executionId), gt(executionLogs.id, afterId)))
    .orderBy(asc(executionLogs.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, stream: r.stream, line: r.line, created_at: r.createdAt.toISOString() }));
}

/** The last `limit` lines, oldest first, in an execution record's shape (`logs[]`; docs/agent-contract.md, Executing deployed agents). */
export async function recentLogs(q: Queryable, executionId: string, limit = 100): Promise<ExecutionLogJson[]> {
  const rows = await q
    .select()
    .from(executionLogs)
    .where(eq(executionLogs.executionId, executionId))
    .orderBy(desc(executionLogs.id))
    .limit(limit);
  return rows.reverse().map((r) => ({
    timestamp: r.createdAt.toISOString(),
    level: r.stream === "stderr" ? "error" : "info",
    message: r.line,
    context: { stream: r.stream },
  }));
}
