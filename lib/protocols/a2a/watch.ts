import "server-only";
import type { StreamResponse, Task } from "@a2a-js/sdk";
import { getDb } from "@/db/client";
import type { Principal } from "@/lib/auth/principal";
import { audienceOf } from "@/lib/events/audience";
import { getEventHub } from "@/lib/events/hub";
import type { SseSink } from "@/lib/events/sse";

/** A wake-up that is never lost: a notify before the wait makes the next wait return at once. */
class Wakeup {
  private pending = false;
  private resolve: (() => void) | null = null;

  notify(): void {
    const r = this.resolve;
    this.resolve = null;
    if (r) r();
    else this.pending = true;
  }

  wait(): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((r) => (this.resolve = r));
  }
}

const decoder = new TextDecoder();

/** The hub's subscriber for one job: a frame that names the job wakes the watcher; the log stays the truth. */
function jobSink(jobId: string, wake: Wakeup): SseSink {
  let closed = false;
  return {
    write(bytes) {
      if (!closed && decoder.decode(bytes).includes(jobId)) wake.notify();
      return !closed;
    },
    get closed() {
      return closed;
    },
    backlogBytes: 0,
    close() {
      closed = true;
      wake.notify();
    },
  };
}

export interface WatchOptions {
  principal: Principal;
  jobId: string;
  /** The job's worker: the hub only offers events that concern it. */
  workerId: string;
  /** The task now, read from the database. */
  read(): Promise<Task>;
  /** Whether the stream ends at this task (a final state; for SendStreamingMessage, also an interrupted one). */
  done(task: Task): boolean;
  signal: AbortSignal;
}

/**
 * A job's changes as A2A stream events: the task first, then a status update for each change of state and an
 * artifact update for each new deliverable, until `done`. The event hub (the same as /api/events, with the
 * caller's audience) says when to read again; what is sent is read from the database.
 */
export async function* watchJob(o: WatchOptions): AsyncGenerator<StreamResponse, void, undefined> {
  const wake = new Wakeup();
  const sink = jobSink(o.jobId, wake);
  const onAbort = () => sink.close();
  o.signal.addEventListener("abort", onAbort);
  const hub = await getEventHub();
  // Subscribed before the first read, so no change falls between the two.
  const unsubscribe = await hub.subscribe(sink, {
    audience: await audienceOf(await getDb(), o.principal),
    agentId: o.workerId,
  });
  try {
    let last = await o.read();
    yield { payload: { $case: "task", value: last } };
    while (!o.done(last) && !sink.closed) {
      await wake.wait();
      if (sink.closed) break;
      const next = await o.read();
      const artifact = next.artifacts[0];
      if (artifact && artifact.artifactId !== last.artifacts[0]?.artifactId) {
        yield {
          payload: {
            $case: "artifactUpdate",
            value: {
              taskId: next.id,
              contextId: next.contextId,
              artifact,
              append: false,
              lastChunk: true,
              metadata: undefined,
            },
          },
        };
      }
      if (next.status?.state !== last.status?.state || next.status?.timestamp !== last.status?.timestamp) {
        yield {
          payload: {
            $case: "statusUpdate",
            value: { taskId: next.id, contextId: next.contextId, status: next.status, metadata: next.metadata },
          },
        };
      }
      last = next;
    }
  } finally {
    o.signal.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}
