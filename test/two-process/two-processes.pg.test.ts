import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { setupTestDatabase } from "@/test/db";
import { readStream } from "@/test/fixtures/event-stream";
import { deployFakeAgent, type FakeAgent } from "@/test/fixtures/execute";
import { authSecret } from "@/lib/auth/secret";
import { createAgent, createUser, sessionHeaders } from "@/test/fixtures/market";
import { waitFor } from "@/test/fixtures/runtime";

/**
 * Two real app processes on one PostgreSQL database (test/two-process/app-process.ts: the app's start-up hook and
 * every route handler, served over HTTP without building Next). What one process does, the other sees at once:
 * events, catalogue cache invalidation, rate limits, keys; and background work runs once between them.
 */
const db = setupTestDatabase();
const root = path.resolve(import.meta.dirname, "../..");
const children: ChildProcess[] = [];
const stderr: string[] = [];
let A = "";
let B = "";
let fake: FakeAgent | undefined;
const KEYS_PER_HOUR = 3;

function startApp(url: string): Promise<string> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "--conditions=react-server", path.join(root, "test/two-process/app-process.ts")],
    {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        DATABASE_URL: url,
        DATABASE_DRIVER: "pg",
        NODE_ENV: "test",
        LOG_LEVEL: "silent",
        // The test's own secret: a session cookie it signs is valid on both processes.
        NEXTAUTH_SECRET: authSecret(),
        RATE_LIMIT_KEYS_PER_HOUR: String(KEYS_PER_HOUR),
        SEED_DEMO_DATA: "false",
      },
    },
  );
  children.push(child);
  const n = stderr.push("") - 1;
  child.stderr!.on("data", (c: Buffer) => (stderr[n] += c.toString()));
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /LISTENING (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`app process exited (${code}): ${stderr[n]!.slice(-2000)}`)));
  });
}

beforeAll(async () => {
  [A, B] = await Promise.all([startApp(db.current.url!), startApp(db.current.url!)]);
}, 120_000);

afterAll(async () => {
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once("exit", () => resolve());
          c.kill("SIGTERM");
          setTimeout(() => c.kill("SIGKILL"), 10_000).unref();
        }),
    ),
  );
  await fake?.close();
}, 30_000);

const json = (key: string, body?: unknown) => ({
  method: body === undefined ? "GET" : "POST",
  headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
});

describe("two app processes on one database", () => {
  it("an event written through A reaches a subscriber on B, and B's catalogue search shows the new service at once", async () => {
    const seller = await createAgent(await getDb());
    const word = `twoproc${randomUUID().slice(0, 8)}`;
    // B's catalogue answers the search before the service exists (and caches that answer for its data version).
    const before = await fetch(`${B}/api/services?q=${word}`);
    expect(before.status).toBe(200);
    expect(((await before.json()) as { data: unknown[] }).data).toEqual([]);

    const ac = new AbortController();
    const res = await fetch(`${B}/api/events?type=service_created`, { signal: ac.signal });
    expect(res.status).toBe(200);
    const stream = readStream(res);
    const created = await fetch(
      `${A}/api/services`,
      json(seller.key, { name: `${word} translation`, description: "two processes", price_usd: 5 }),
    );
    expect(created.status).toBe(201);
    const service = (await created.json()) as { id: string };
    const frames = await stream.until((f) => f.some((x) => x.data?.includes(service.id)));
    expect(frames.find((f) => f.data?.includes(service.id))?.event).toBe("service_created");
    ac.abort();
    await stream.cancel();

    // B heard the event, so its cache moved with it: the search shows the service now, with no wait.
    const after = await fetch(`${B}/api/services?q=${word}`);
    expect(((await after.json()) as { data: { id: string }[] }).data.map((s) => s.id)).toEqual([service.id]);
  });

  it("shares rate limits, and a key created on A works on B", async () => {
    const agent = await createAgent(await getDb());
    const made: string[] = [];
    for (let i = 0; i < KEYS_PER_HOUR; i++) {
      const res = await fetch(`${A}/api/agents/me/keys`, json(agent.key, { name: `k${i}` }));
      expect(res.status).toBe(201);
      made.push(((await res.json()) as { api_key: string }).api_key);
    }
    const over = await fetch(`${B}/api/agents/me/keys`, json(agent.key, { name: "one too many" }));
    expect(over.status).toBe(429);
    expect(over.headers.get("retry-after")).toMatch(/^\d+$/);

    const me = await fetch(`${B}/api/agents/me`, json(made[0]!));
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(agent.agent.id);
  });

  it("accepts a person's session on either process", async () => {
    const person = await createUser(await getDb(), { name: "Two Places" });
    const headers = await sessionHeaders(person.user);
    for (const origin of [A, B]) {
      const res = await fetch(`${origin}/api/me`, { headers });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { user: { id: string } }).user.id).toBe(person.user.id);
    }
  });

  it("runs each queued execution exactly once while both processes run their workers", async () => {
    fake = await deployFakeAgent();
    const agent = fake;
    const ids: string[] = [];
    for (let i = 0; i < 8; i++) {
      const via = i % 2 ? A : B;
      const res = await fetch(
        `${via}/api/agents/${agent.agentId}/execute`,
        json(agent.key, { input_data: { parameters: { n: i } }, execution_options: { async: true } }),
      );
      expect(res.status, await res.clone().text()).toBe(202);
      ids.push(((await res.json()) as { execution_id: string }).execution_id);
    }
    for (const id of ids) {
      await waitFor(
        async () => {
          const res = await fetch(`${A}/api/agents/${agent.agentId}/executions/${id}`, json(agent.key));
          const body = (await res.json()) as { status: string };
          return body.status === "completed" ? body : undefined;
        },
        `execution ${id} to complete`,
        30_000,
      );
    }
    expect([...agent.calls].sort()).toEqual([...ids].sort());
    // Both processes started every background service (the start-up hook reports a failure as `[start] ...`).
    expect(stderr.filter((e) => e.includes("[start]"))).toEqual([]);
  });
});
