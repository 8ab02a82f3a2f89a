import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import { GET as getExecution } from "@/app/api/executions/[id]/route";
import { POST as stop } from "@/app/api/executions/[id]/stop/route";
import { GET as logs } from "@/app/api/executions/[id]/logs/route";
import { GET as events } from "@/app/api/executions/[id]/events/route";
import { GET as listExecutions } from "@/app/api/agents/[id]/executions/route";
import { POST as run } from "@/app/api/agents/[id]/run/route";
import { getDb } from "@/db/client";
import { events as eventsTable } from "@/db/schema";
import { SseParser } from "@/lib/events/sse-parse";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { hosts, closeHosts } from "./hosts/index";
import { pidAlive } from "./hosts/process-info";
import { reconcileOnce } from "./reconciler";
import { executionRow, runAgent, runnableAgent, setTestEnv, textStats, waitFor } from "@/test/fixtures/runtime";

setupTestDatabase();

beforeAll(() => setTestEnv({ EXECUTION_STOP_GRACE_MS: "1000", EXECUTION_MAX_CONCURRENT_PER_AGENT: "5" }));
afterAll(() => closeHosts({ kill: true }));

const statusOf = async (id: string, key: string) =>
  (await call(getExecution, `/api/executions/${id}`, { key, params: { id } })).body;

const until = (id: string, key: string, status: string) =>
  waitFor(async () => {
    const r = await statusOf(id, key);
    return r.status === status ? r : undefined;
  }, `execution ${id} to be ${status}`);

/** Starts a run with an empty input as the agent itself; 202 and the execution id. */
async function startRun(t: { agent: { id: string }; key: string }): Promise<string> {
  const res = await runAgent(t, { input: {} });
  expect(res.status).toBe(202);
  return res.body.execution_id as string;
}

const logLines = async (id: string, key: string): Promise<{ stream: string; line: string }[]> =>
  (await call(logs, `/api/executions/${id}/logs`, { key, params: { id }, query: { limit: 1000 } })).body.data;

describe("local host", () => {
  it("runs an agent: starting, running with an endpoint that answers, completed; events in order", async () => {
    const t = await runnableAgent(textStats({ EXIT_AFTER_INVOCATIONS: "1" }));
    const res = await runAgent(t, { input: { text: "Agents run here. Good agents run fast." }, timeout_s: 60 });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "starting", agent_id: t.agent.id, host: "local", timeout_s: 60 });
    const id = res.body.execution_id as string;

    const running = await until(id, t.key, "running");
    expect(running.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await fetch(`${running.endpoint}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ input: { text: "one two three. four" } }),
    }).then((r) => r.json());
    expect(answer.data.words).toBe(4);

    const done = await until(id, t.key, "completed");
    expect(done.exit_code).toBe(0);
    expect(done.end_time).not.toBeNull();
    expect(done.endpoint).toBeNull();
    const lines = await logLines(id, t.key);
    // INPUT_DATA was processed at start-up and its result printed to stdout.
    expect(
      lines.some((l) => l.stream === "stdout" && l.line.includes("input result") && l.line.includes('"words":7')),
    ).toBe(true);
    const types = (
      await (
        await getDb()
      )
        .select()
        .from(eventsTable)
        .where(and(eq(eventsTable.subjectId, id)))
    ).map((e) => e.type);
    expect(types).toEqual(["execution_started", "execution_running", "execution_completed"]);

    // The stream replays everything and ends after the final status; resuming from a cursor sends only what follows.
    const sse = await call(events, `/api/executions/${id}/events`, { key: t.key, params: { id } });
    const frames = new SseParser().push(sse.body as string).filter((f) => f.event);
    expect(frames.map((f) => f.event).filter((e) => e !== "log")).toEqual(types);
    expect(frames.filter((f) => f.event === "log").map((f) => JSON.parse(f.data!).line)).toEqual(
      lines.map((l) => l.line),
    );
    const middle = frames[2]!;
    const resumed = await call(events, `/api/executions/${id}/events`, {
      key: t.key,
      params: { id },
      headers: { "last-event-id": middle.id! },
    });
    const rest = new SseParser().push(resumed.body as string).filter((f) => f.event);
    expect(rest.map((f) => f.id)).toEqual(frames.slice(3).map((f) => f.id));

    const list = await call(listExecutions, `/api/agents/${t.agent.id}/executions`, {
      headers: t.owner.headers,
      params: { id: t.agent.id },
      query: { status: "completed" },
    });
    expect(list.status).toBe(200);
    expect(list.body.data.map((e: { execution_id: string }) => e.execution_id)).toEqual([id]);
  });

  it("streams status changes and log lines live, including the last lines after a stop, then ends", async () => {
    const t = await runnableAgent(textStats());
    const id = await startRun(t);
    const response = await events(
      new Request(`http://localhost/api/executions/${id}/events`, { headers: { "x-agent-key": t.key } }),
      { params: Promise.resolve({ id }) },
    );
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    const parser = new SseParser();
    const seen: { event: string; line?: string }[] = [];
    const readUntil = async (stop: (event: string) => boolean): Promise<boolean> => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return false;
        for (const f of parser.push(value)) {
          if (!f.event) continue;
          seen.push({ event: f.event, line: f.event === "log" ? JSON.parse(f.data!).line : undefined });
          if (stop(f.event)) return true;
        }
      }
    };
    expect(await readUntil((e) => e === "execution_running")).toBe(true);
    await call(stop, `/api/executions/${id}/stop`, { key: t.key, params: { id }, method: "POST" });
    expect(await readUntil(() => false)).toBe(false); // the server ends the stream
    expect(seen.map((s) => s.event).filter((e) => e !== "log")).toEqual([
      "execution_started",
      "execution_running",
      "execution_stopped",
    ]);
    expect(seen.some((s) => s.line?.includes("received SIGTERM"))).toBe(true);
    expect(seen.some((s) => s.line === "process exited with code 0")).toBe(true);
  });

  it("a crash is failed with its exit code and its stderr in the logs", async () => {
    const t = await runnableAgent(textStats());
    const id = await startRun(t);
    const running = await until(id, t.key, "running");
    await fetch(`${running.endpoint}/invocations`, {
      method: "POST",
      body: JSON.stringify({ prompt: "__crash__" }),
    }).catch(() => null);
    const failed = await until(id, t.key, "failed");
    expect(failed.exit_code).toBe(3);
    expect(failed.stopped_reason).toBe("Process exited with code 3");
    const lines = await logLines(id, t.key);
    expect(lines.some((l) => l.stream === "stderr" && l.line.includes("crash requested"))).toBe(true);
  });

  it("a start-up failure is failed too, never running", async () => {
    const t = await runnableAgent(textStats({ AGENT_FAIL_ON_START: "1" }));
    const failed = await until(await startRun(t), t.key, "failed");
    expect(failed.exit_code).toBe(3);
  });

  it("stop: SIGTERM, stopped with the exit code; stopping again is 409", async () => {
    const t = await runnableAgent(textStats());
    const res = await call(run, `/api/agents/${t.agent.id}/run`, {
      headers: t.owner.headers,
      params: { id: t.agent.id },
      body: { input: {} },
    });
    const id = res.body.execution_id as string;
    await until(id, t.key, "running");
    const pid = (await executionRow(id))!.hostState.pid as number;
    const stopped = await call(stop, `/api/executions/${id}/stop`, { key: t.key, params: { id }, method: "POST" });
    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({ status: "stopped", stop_code: "UserInitiated" });
    await waitFor(() => (pidAlive(pid) ? undefined : true), "the process to exit");
    // The agent exits 0 on SIGTERM; the exit code is filled in after the fact.
    await waitFor(async () => ((await executionRow(id))!.exitCode === 0 ? true : undefined), "exit code");
    const again = await call(stop, `/api/executions/${id}/stop`, { key: t.key, params: { id }, method: "POST" });
    expect(again.status).toBe(409);
  });

  it("timeout: stopped with the reason", async () => {
    const t = await runnableAgent(textStats());
    const res = await runAgent(t, { input: {}, timeout_s: 1 });
    const stopped = await until(res.body.execution_id, t.key, "stopped");
    expect(stopped.stopped_reason).toBe("Timed out after 1 s");
    expect(stopped.stop_code).toBe("TimedOut");
  });

  it("an app restart mid-run: a live process is re-attached, a dead one becomes failed", async () => {
    const t = await runnableAgent(textStats());
    const a = await runAgent(t, { input: {} });
    const b = await runAgent(t, { input: {} });
    await until(a.body.execution_id, t.key, "running");
    await until(b.body.execution_id, t.key, "running");
    const pidB = (await executionRow(b.body.execution_id))!.hostState.pid as number;

    closeHosts(); // the app "restarts": no in-memory state, processes untouched
    process.kill(pidB, "SIGKILL"); // ...and one of them dies while nobody watches
    await waitFor(() => (pidAlive(pidB) ? undefined : true), "pid to die");
    const sweep = await reconcileOnce();
    expect(sweep.skipped).toBe(false);
    expect(hosts().local.watching).toBe(1);

    const ra = await statusOf(a.body.execution_id, t.key);
    expect(ra.status).toBe("running");
    expect(
      (await logLines(ra.execution_id, t.key)).some((l) => l.stream === "system" && l.line.includes("re-attached")),
    ).toBe(true);
    const rb = await statusOf(b.body.execution_id, t.key);
    expect(rb.status).toBe("failed");
    expect(rb.stopped_reason).toMatch(/not watching/);

    // The re-attached process is still controlled: stop works and the process goes away.
    const pidA = (await executionRow(ra.execution_id))!.hostState.pid as number;
    const stopped = await call(stop, `/api/executions/${ra.execution_id}/stop`, {
      key: t.key,
      params: { id: ra.execution_id },
      method: "POST",
    });
    expect(stopped.body.status).toBe("stopped");
    await waitFor(() => (pidAlive(pidA) ? undefined : true), "re-attached process to exit");
  });
});
