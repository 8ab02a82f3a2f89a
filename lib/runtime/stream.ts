import "server-only";
import { and, asc, eq, gt, lte } from "drizzle-orm";
import { getDatabase, getDb } from "@/db/client";
import { events, executions } from "@/db/schema";
import { env } from "@/lib/env";
import { EVENTS_CHANNEL } from "@/lib/events/channel";
import { listen } from "@/lib/events/listen";
import { EventLogReader } from "@/lib/events/read";
import { formatEvent, lastEventIdFrom, sourceResponse, toPayload, type SseSource } from "@/lib/events/sse";
import { LOGS_CHANNEL, readLogs } from "./logs";
import { isTerminal } from "./types";
import { log } from "@/lib/log";

const BATCH = 500;
const POLL_MS = 2_000;

/**
 * The SSE cursor of an execution's stream: `<event id>.<log id>`, the last status event and the last log line
 * delivered. Events are read only up to the log's horizon (lib/events/read.ts) and log lines are written in
 * order by the execution's one writer, so resuming from both positions neither misses nor repeats.
 */
export function parseCursor(value: string | null): { ev: number; log: number } {
  const m = value ? /^(\d+)\.(\d+)$/.exec(value) : null;
  return m ? { ev: Number(m[1]), log: Number(m[2]) } : { ev: 0, log: 0 };
}

/**
 * Status changes (`execution_*` events, data = the Event resource) and log lines (`log`, data = a log record)
 * of one execution, oldest first; ends once the execution is final and everything has been sent.
 */
export function executionEventsResponse(req: Request, executionId: string): Response {
  return sourceResponse(executionEventsSource(req, executionId), req.signal);
}

/** The execution stream before it is served (as a Response above, or by the stream server on the socket). */
export function executionEventsSource(req: Request, executionId: string): SseSource {
  const cursor = parseCursor(lastEventIdFrom(req));
  return {
    heartbeatMs: env().EVENTS_HEARTBEAT_MS,
    retryMs: 2_000,
    start: async (sink) => {
      let running = false;
      let again = false;
      let lingerTimer: ReturnType<typeof setTimeout> | undefined;
      let reader: EventLogReader | undefined;
      const pump = async (): Promise<void> => {
        if (running) {
          again = true;
          return;
        }
        running = true;
        try {
          do {
            again = false;
            if (await sendPending()) {
              sink.close();
              return;
            }
          } while (again && !sink.closed);
        } catch (err) {
          log().error({ err, execution: executionId }, "execution stream failed");
          sink.close();
        } finally {
          running = false;
        }
      };

      /** Sends what is new; true when the stream is complete. */
      const sendPending = async (): Promise<boolean> => {
        const db = await getDb();
        // Read the status first: if it is final now, every log line written before it is already visible.
        const [exec] = await db
          .select({
            status: executions.status,
            host: executions.host,
            exitCode: executions.exitCode,
            end: executions.endTime,
          })
          .from(executions)
          .where(eq(executions.id, executionId))
          .limit(1);
        let final = !exec || isTerminal(exec.status);
        // A stopped local process still writes its last lines (and its exit) after the record says stopped:
        // the stream lingers until the exit is recorded or the kill grace has passed.
        if (exec && final && exec.status === "stopped" && exec.host === "local" && exec.exitCode === null) {
          const left = (exec.end?.getTime() ?? 0) + env().EXECUTION_STOP_GRACE_MS + 1_000 - Date.now();
          if (left > 0) {
            final = false;
            lingerTimer ??= setTimeout(() => void pump(), left);
          }
        }
        // Writers of the log commit out of id order: read up to its horizon, and once the execution is final wait
        // for the writers in flight, so that its last events are not left behind one still committing.
        reader ??= new EventLogReader(db);
        const upTo = final ? await reader.settle() : await reader.advance();
        const evs = await db
          .select()
          .from(events)
          .where(
            and(
              eq(events.subjectType, "execution"),
              eq(events.subjectId, executionId),
              gt(events.id, cursor.ev),
              lte(events.id, upTo),
            ),
          )
          .orderBy(asc(events.id))
          .limit(BATCH);
        const logs = await readLogs(db, executionId, cursor.log, BATCH);
        // Merge by time, keeping each kind in id order (the cursor of each kind only moves forward).
        type Frame = { kind: "ev"; e: (typeof evs)[number] } | { kind: "log"; l: (typeof logs)[number] };
        const frames: Frame[] = [];
        let i = 0;
        let j = 0;
        while (i < evs.length || j < logs.length) {
          const e = evs[i];
          const l = logs[j];
          if (e && (!l || e.createdAt.getTime() < Date.parse(l.created_at))) {
            frames.push({ kind: "ev", e });
            i++;
          } else if (l) {
            frames.push({ kind: "log", l });
            j++;
          }
        }
        for (const f of frames) {
          if (f.kind === "ev") {
            cursor.ev = f.e.id;
            if (!sink.write(formatEvent(`${cursor.ev}.${cursor.log}`, f.e.type, toPayload(f.e)))) return true;
          } else {
            cursor.log = f.l.id;
            if (!sink.write(formatEvent(`${cursor.ev}.${cursor.log}`, "log", f.l))) return true;
          }
        }
        if (evs.length === BATCH || logs.length === BATCH) {
          again = true;
          return false;
        }
        return final;
      };

      const database = await getDatabase();
      const unsubscribers = await Promise.all([
        listen(database, EVENTS_CHANNEL, { onNotify: () => void pump() }),
        listen(database, LOGS_CHANNEL, {
          onNotify: (payload) => {
            if (payload === executionId) void pump();
          },
        }),
      ]);
      const poll = setInterval(() => void pump(), POLL_MS);
      poll.unref();
      void pump();
      return () => {
        clearInterval(poll);
        if (lingerTimer) clearTimeout(lingerTimer);
        for (const u of unsubscribers) void u();
      };
    },
  };
}
