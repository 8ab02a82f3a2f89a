import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions } from "@/db/schema";
import { resetEnvForTests } from "@/lib/env";
import { createAgent, createUser } from "@/lib/market/test-fixtures";
import { splitRuntime, type RuntimeConfig } from "./config";
import { setSecrets } from "./secrets/store";

/** Test helpers for the runtime tests (not imported by application code). */

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs`. No fixed sleeps. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function setTestEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvForTests();
}

/**
 * An agent owned by a person, with a runtime; returns its key, the owner's session headers and a stranger's key.
 * A local runtime's `env` is stored as it would be through the API: encrypted in the agent's secrets.
 */
export async function runnableAgent(runtime: RuntimeConfig | null) {
  const db = await getDb();
  const owner = await createUser(db);
  const split = runtime ? splitRuntime(runtime) : null;
  const a = await createAgent(db, { ownerUserId: owner.user.id, runtime: split?.stored ?? null });
  if (split) await setSecrets(db, a.agent.id, split.env);
  const stranger = await createAgent(db);
  return { agent: a.agent, key: a.key, owner, strangerKey: stranger.key, strangerId: stranger.agent.id };
}

export const textStats = (env?: Record<string, string>): RuntimeConfig => ({
  kind: "local",
  artifact: "text-stats",
  ...(env ? { env } : {}),
});

export async function executionRow(id: string) {
  const [row] = await (await getDb()).select().from(executions).where(eq(executions.id, id));
  return row;
}

/**
 * Installs an operator artifact `env-echo` in a fresh folder (for LOCAL_AGENTS_DIR): a minimal agent-contract
 * program whose /invocations answers with its whole environment, argv, execArgv and cwd, so a test can see
 * exactly what the platform gave the process. Returns the folder.
 */
export function installEchoArtifact(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "agent-market-artifacts-"));
  const dir = path.join(root, "env-echo");
  fs.mkdirSync(dir);
  fs.writeFileSync(
    path.join(dir, "agent.json"),
    JSON.stringify({
      name: "env-echo",
      description: "reports its environment",
      entrypoint: "main.mjs",
      runtime: "node",
    }),
  );
  fs.writeFileSync(
    path.join(dir, "main.mjs"),
    `import http from "node:http";
const server = http.createServer((req, res) => {
  res.writeHead(req.url === "/ping" || req.url === "/invocations" ? 200 : 404, { "content-type": "application/json" });
  if (req.url === "/ping") return res.end(JSON.stringify({ status: "Healthy" }));
  res.end(JSON.stringify({ env: process.env, argv: process.argv, execArgv: process.execArgv, cwd: process.cwd() }));
});
server.listen(Number(process.env.PORT), process.env.HOST, () => console.log("listening on " + process.env.PORT));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
`,
  );
  return root;
}
