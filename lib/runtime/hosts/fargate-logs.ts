import "server-only";
import { and, eq, gt, inArray, isNotNull, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { inTransaction } from "@/lib/db";
import { log } from "@/lib/log";
import { insertLogs } from "../logs";
import { LIVE_STATUSES } from "../types";
import {
  awsLogsStream,
  awsLogsTarget,
  filterStreams,
  MAX_STREAMS_PER_FILTER,
  type StreamEvent,
} from "./cloudwatch-logs";

/**
 * A Fargate run's container output, brought back into its execution log (and so its live stream): the awslogs
 * driver writes the container's stdout and stderr to the task definition's log group, stream
 * `<prefix>/<container>/<task id>`; each reconciler sweep reads the new events of every live run (and of runs that
 * ended in the last LATE_MS, for lines still on their way) with FilterLogEvents, up to 100 streams a call, and
 * appends them as `stdout` lines. Each execution keeps its cursor in host_state (`logs`: the last event's
 * timestamp and how many events of that millisecond were taken), written in the transaction that inserts the
 * lines, so neither a restart nor a second app process takes a line twice (the sweep holds the reconciler lock).
 */

/** How long after a run ended its stream is still read. */
const LATE_MS = 2 * 60_000;
/** FilterLogEvents calls per sweep (CloudWatch allows a few per second per account and region). */
const MAX_READS_PER_SWEEP = 10;

let rotation = 0;
/** The next `n` of `all`, continuing where the previous sweep stopped. */
export function rotate<T>(all: T[], n: number): T[] {
  const from = rotation % all.length;
  rotation = from + n;
  return Array.from({ length: n }, (_, i) => all[(from + i) % all.length] as T);
}

interface Cursor {
  group: string;
  stream: string;
  /** Timestamp of the last event taken, and how many events at that timestamp were taken. */
  ts: number;
  n: number;
}

interface LogRow {
  id: string;
  taskArn: string;
  hostState: Record<string, unknown>;
  startTime: Date;
}

/** Where a row's container logs, from its cursor or its task definition (null: not through awslogs / unknown). */
async function cursorOf(row: LogRow): Promise<Cursor | null> {
  const st = row.hostState as { logs?: Cursor; task_definition_arn?: string; container_name?: string };
  if (st.logs) return st.logs;
  if (!st.task_definition_arn || !st.container_name) return null;
  const target = await awsLogsTarget(st.task_definition_arn, st.container_name);
  if (!target) return null;
  // A minute before the start: the task's clock and ours may differ a little.
  const stream = awsLogsStream(target, st.container_name, row.taskArn);
  return { group: target.group, stream, ts: row.startTime.getTime() - 60_000, n: 0 };
}

/** The events after the cursor (events of one stream come in order; ties on a timestamp keep it). */
export function eventsAfter(cursor: Cursor, events: StreamEvent[]): { lines: string[]; next: Cursor } {
  const next = { ...cursor };
  let sameTs = 0;
  const lines: string[] = [];
  for (const e of events) {
    if (e.timestamp < cursor.ts) continue;
    if (e.timestamp === cursor.ts && sameTs < cursor.n) {
      sameTs++;
      continue;
    }
    if (e.timestamp === next.ts) next.n++;
    else Object.assign(next, { ts: e.timestamp, n: 1 });
    lines.push(e.message);
  }
  return { lines, next };
}

async function rowsToRead(): Promise<LogRow[]> {
  const db = await getDb();
  const rows = await db
    .select({
      id: executions.id,
      taskArn: executions.taskArn,
      hostState: executions.hostState,
      startTime: executions.startTime,
    })
    .from(executions)
    .where(
      and(
        eq(executions.host, "fargate"),
        isNotNull(executions.taskArn),
        // Runs started before their task definition was recorded have no known stream.
        sql`${executions.hostState} ? 'task_definition_arn'`,
        or(
          inArray(executions.status, [...LIVE_STATUSES]),
          gt(executions.endTime, sql`now() - make_interval(secs => ${LATE_MS / 1000})`),
        ),
      ),
    )
    // A stable order: each sweep's share of the reads continues where the last one stopped (rotate).
    .orderBy(executions.startTime, executions.id);
  return rows as LogRow[];
}

/** One read of every run's new container output; returns how many lines were added. */
export async function syncFargateLogs(): Promise<number> {
  const withCursor: { row: LogRow; cursor: Cursor }[] = [];
  for (const row of await rowsToRead()) {
    const cursor = await cursorOf(row).catch((err: unknown) => {
      log().warn({ err, execution: row.id }, "no log target for a Fargate run");
      return null;
    });
    if (cursor) withCursor.push({ row, cursor });
  }
  const batches: { group: string; batch: typeof withCursor }[] = [];
  const byGroup = new Map<string, typeof withCursor>();
  for (const r of withCursor) byGroup.set(r.cursor.group, [...(byGroup.get(r.cursor.group) ?? []), r]);
  for (const [group, list] of byGroup) {
    for (let i = 0; i < list.length; i += MAX_STREAMS_PER_FILTER) {
      batches.push({ group, batch: list.slice(i, i + MAX_STREAMS_PER_FILTER) });
    }
  }
  // FilterLogEvents has a small account-wide rate: a sweep reads at most MAX_READS_PER_SWEEP batches, the next
  // sweep the following ones (with thousands of live runs, their output arrives a few sweeps late).
  const turn = batches.length <= MAX_READS_PER_SWEEP ? batches : rotate(batches, MAX_READS_PER_SWEEP);
  let added = 0;
  for (const { group, batch } of turn) {
    const since = Math.min(...batch.map((b) => b.cursor.ts));
    let events: StreamEvent[];
    try {
      events = await filterStreams(
        group,
        batch.map((b) => b.cursor.stream),
        since,
      );
    } catch (err) {
      log().warn({ err, group }, "could not read container logs from CloudWatch");
      continue;
    }
    for (const { row, cursor } of batch) {
      const { lines, next } = eventsAfter(
        cursor,
        events.filter((e) => e.stream === cursor.stream),
      );
      if (lines.length === 0) continue;
      await inTransaction(async (tx) => {
        await insertLogs(
          tx,
          row.id,
          lines.map((line) => ({ stream: "stdout" as const, line })),
        );
        await tx
          .update(executions)
          .set({ hostState: sql`${executions.hostState} || ${JSON.stringify({ logs: next })}::jsonb` })
          .where(eq(executions.id, row.id));
      });
      added += lines.length;
    }
  }
  return added;
}
