import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FILE_AND_NETWORK_PROBES, FORK_PROBE } from "@/test/fixtures/sandbox-probes";
import { requestSandbox, sandboxSupport, startSandbox, waitReady, type Sandbox } from "./index";

/*
 * The sandbox holds against what uploaded code would try: every attempt below is made from inside a real
 * bubblewrap sandbox by an agent that follows the contract, and each one fails while the host goes on.
 */

const ATTACKER = String.raw`
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import { spawn } from "node:child_process";

${FILE_AND_NETWORK_PROBES}
${FORK_PROBE}
const attempts = {
  read,
  write,
  env: () => Object.keys(process.env).sort().join(","),
  connect: (port) => connect("127.0.0.1", port),
  fork,
  memory: (mb) => { const keep = []; for (let i = 0; i < Number(mb); i++) keep.push(Buffer.alloc(1 << 20, 1)); return "ALLOCATED " + keep.length; },
};

http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://agent");
  if (url.pathname === "/ping") return res.end("ok");
  const kind = url.searchParams.get("kind");
  const arg = url.searchParams.get("arg");
  const out = await attempts[kind](arg);
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(out));
}).listen(Number(process.env.PORT), process.env.HOST, () => console.log("listening on " + process.env.PORT));
`;

let bundle: string;
const running: Sandbox[] = [];
let n = 0;

async function start(memoryMb = 128): Promise<Sandbox> {
  const s = await startSandbox({
    id: `test-${process.pid}-${++n}`,
    bundleDir: bundle,
    entrypoint: "server.mjs",
    runtime: "node",
    env: { AGENT_ID: "a-1" },
    memoryMb,
    maxProcesses: 32,
  });
  running.push(s);
  expect(await waitReady(s, 15_000)).toBe(true);
  return s;
}

async function attempt(s: Sandbox, kind: string, arg = ""): Promise<unknown> {
  const res = await requestSandbox(s, { path: `/?kind=${kind}&arg=${encodeURIComponent(arg)}`, timeoutMs: 20_000 });
  return JSON.parse(res.body) as unknown;
}

beforeAll(() => {
  bundle = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-bundle-"));
  fs.chmodSync(bundle, 0o755);
  fs.writeFileSync(path.join(bundle, "server.mjs"), ATTACKER, { mode: 0o644 });
  process.env.SANDBOX_TEST_CANARY = "the-app-secret";
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  fs.rmSync(bundle, { recursive: true, force: true });
  delete process.env.SANDBOX_TEST_CANARY;
});

describe("the local host's sandbox", () => {
  it("is available on this machine (bubblewrap installed; .ci/run installs it)", () => {
    expect(sandboxSupport()).toMatchObject({ available: true, reason: null });
  });

  it("shows uploaded code none of the app's files, none of its environment, and lets it write only to scratch", async () => {
    const s = await start();
    expect(await attempt(s, "read", path.resolve("package.json"))).toBe("ENOENT");
    expect(await attempt(s, "read", path.resolve(".data/nextauth-secret"))).toBe("ENOENT");
    expect(await attempt(s, "read", "/etc/passwd")).toBe("ENOENT");
    expect(await attempt(s, "read", "/app/server.mjs")).toMatch(/^READ /);
    const names = String(await attempt(s, "env")).split(",");
    expect(names).not.toContain("SANDBOX_TEST_CANARY");
    expect(names).not.toContain("DATABASE_URL");
    expect(names).toEqual(expect.arrayContaining(["AGENT_ID", "PORT"]));
    expect(await attempt(s, "write", "/app/x")).toBe("EROFS");
    expect(await attempt(s, "write", "/x")).toMatch(/EROFS|EACCES|EPERM/);
    expect(await attempt(s, "write", "/usr/x")).toMatch(/EROFS|EACCES|EPERM/);
    expect(await attempt(s, "write", "/tmp/x")).toMatch(/EROFS|ENOENT/);
    expect(await attempt(s, "write", "/scratch/x")).toBe("WROTE");
  });

  it("has no network but its own loopback: the host's PostgreSQL on 127.0.0.1:5432 is out of reach", async () => {
    const s = await start();
    expect(await attempt(s, "connect", "5432")).toBe("ECONNREFUSED");
  });

  it("cannot fork a thousand processes", async () => {
    const s = await start();
    const { started, refused } = (await attempt(s, "fork", "1000")) as { started: number; refused: number };
    expect(started).toBeLessThan(32);
    expect(refused).toBeGreaterThan(900);
    // The sandbox itself still answers once its children are gone.
    expect((await requestSandbox(s, { path: "/ping" })).status).toBe(200);
  });

  it("ends at its memory limit with the reason, and the host starts the next one as usual", async () => {
    const s = await start(96);
    await expect(attempt(s, "memory", "400")).rejects.toThrow();
    const exit = await s.exited;
    expect(exit.reason).toMatch(sandboxSupport().cgroups ? /out of memory \(limit 96 MB\)/ : /exited with|ended by/);
    const next = await start();
    expect((await requestSandbox(next, { path: "/ping" })).status).toBe(200);
  });
});
