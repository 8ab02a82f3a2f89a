import { randomBytes } from "node:crypto";
import fs from "node:fs";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getAgent, PUT as putAgent } from "@/app/api/agents/[id]/route";
import { POST as runAgent } from "@/app/api/agents/[id]/run/route";
import { DELETE as deleteSecret, PUT as putSecret } from "@/app/api/agents/[id]/secrets/[name]/route";
import { GET as listSecrets } from "@/app/api/agents/[id]/secrets/route";
import { GET as searchAgents, POST as register } from "@/app/api/agents/route";
import { GET as getExecution } from "@/app/api/executions/[id]/route";
import { GET as executionLogs } from "@/app/api/executions/[id]/logs/route";
import { POST as stopExecution } from "@/app/api/executions/[id]/stop/route";
import { getDb } from "@/db/client";
import { agentSecrets, events } from "@/db/schema";
import { secretInfoSchema } from "@/lib/api/contracts/agent-secrets";
import { createAgent, createUser } from "@/test/fixtures/market";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { closeHosts } from "./hosts/index";
import { parseKey } from "./secrets/crypto";
import { rotateSecrets, secretValues } from "./secrets/store";
import { installEchoArtifact, setTestEnv, waitFor } from "@/test/fixtures/runtime";

setupTestDatabase();

const KEY_A = randomBytes(32).toString("base64");
const KEY_B = randomBytes(32).toString("hex");
const TOKEN = `sk-live-${randomBytes(12).toString("hex")}`; // distinctive: searched for everywhere
const SHORT = "pw1";
let artifactsDir: string;

beforeAll(() => {
  artifactsDir = installEchoArtifact();
  setTestEnv({ SECRETS_KEY: KEY_A, SECRETS_KEY_PREVIOUS: undefined, LOCAL_AGENTS_DIR: artifactsDir });
});
afterAll(() => {
  closeHosts({ kill: true });
  setTestEnv({ SECRETS_KEY: undefined, SECRETS_KEY_PREVIOUS: undefined, LOCAL_AGENTS_DIR: undefined });
  fs.rmSync(artifactsDir, { recursive: true, force: true });
});

/** Every representation of the value that a careless store or log might hold. */
const forms = (v: string) => [v, Buffer.from(v).toString("base64"), Buffer.from(v).toString("hex")];

async function ownedEchoAgent(env: Record<string, string>) {
  const db = await getDb();
  const owner = await createUser(db);
  const res = await call(register, "/api/agents", {
    headers: owner.headers,
    body: { name: "echo", runtime: { kind: "local", artifact: "env-echo", env } },
  });
  expect(res.status).toBe(201);
  return { owner, agent: res.body as { id: string; api_key: string } };
}

async function runAndReport(agent: { id: string; api_key: string }) {
  const run = await call(runAgent, `/api/agents/${agent.id}/run`, {
    key: agent.api_key,
    params: { id: agent.id },
    body: { input: {} },
  });
  expect(run.status).toBe(202);
  const id = run.body.execution_id as string;
  const final = await waitFor(async () => {
    const r = (await call(getExecution, `/api/executions/${id}`, { key: agent.api_key, params: { id } })).body;
    return r.status === "running" || r.status === "failed" ? r : undefined;
  }, "execution running or failed");
  if (final.status !== "running") return { id, final, env: null };
  const report = await fetch(`${final.endpoint}/invocations`, { method: "POST", body: "{}" }).then((r) => r.json());
  await call(stopExecution, `/api/executions/${id}/stop`, { key: agent.api_key, params: { id }, method: "POST" });
  return { id, final, env: report.env as Record<string, string> };
}

describe("agent variables are write-only secrets (docs/agent-contract.md, The process's environment and the owner's variables)", () => {
  it("are encrypted at rest, masked for the owner, absent from resources and events, and reach the process", async () => {
    const { owner, agent } = await ownedEchoAgent({ API_TOKEN: TOKEN, SHORT_ONE: SHORT });
    const db = await getDb();

    // At rest: AES-256-GCM ciphertext under the current key, nothing of the value but the mask's last 4.
    const rows = await db.select().from(agentSecrets).where(eq(agentSecrets.agentId, agent.id));
    expect(rows.map((r) => r.name).sort()).toEqual(["API_TOKEN", "SHORT_ONE"]);
    const raw = JSON.stringify(await db.execute(sql`SELECT * FROM agent_secrets`));
    for (const f of [...forms(TOKEN), ...forms(SHORT)]) expect(raw).not.toContain(f);
    expect(rows.every((r) => r.keyId === parseKey(KEY_A, "A").id && r.ciphertext.startsWith("v1:"))).toBe(true);
    expect(Object.fromEntries(rows.map((r) => [r.name, r.masked]))).toEqual({
      API_TOKEN: `••••${TOKEN.slice(-4)}`,
      SHORT_ONE: "••••",
    });

    // The owner sees names and masks; nobody sees values; strangers and anonymous callers see nothing.
    const listed = await call(listSecrets, `/api/agents/${agent.id}/secrets`, {
      headers: owner.headers,
      params: { id: agent.id },
    });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((s: unknown) => secretInfoSchema.parse(s).name)).toEqual(["API_TOKEN", "SHORT_ONE"]);
    expect(JSON.stringify(listed.body)).not.toContain(TOKEN);
    const stranger = await createAgent(db);
    expect((await call(listSecrets, `/x`, { key: stranger.key, params: { id: agent.id } })).status).toBe(403);
    expect((await call(listSecrets, `/x`, { params: { id: agent.id } })).status).toBe(401);

    // Public resources never carry them: the agent, the search list, the runtime as stored.
    const profile = await call(getAgent, `/api/agents/${agent.id}`, { params: { id: agent.id } });
    expect(profile.body.runtime).toEqual({ kind: "local", artifact: "env-echo" });
    const search = await call(searchAgents, "/api/agents", { query: { q: "echo" } });
    for (const body of [profile.body, search.body]) {
      expect(JSON.stringify(body)).not.toContain(TOKEN);
      expect(JSON.stringify(body)).not.toContain("API_TOKEN");
    }

    // The process gets the value; its logs and the events do not.
    const { id, env } = await runAndReport(agent);
    expect(env).toMatchObject({ API_TOKEN: TOKEN, SHORT_ONE: SHORT });
    const logs = await call(executionLogs, `/api/executions/${id}/logs`, {
      key: agent.api_key,
      params: { id },
      query: { limit: 1000 },
    });
    expect(JSON.stringify(logs.body)).not.toContain(TOKEN);
    const allEvents = JSON.stringify(await db.select().from(events));
    for (const f of forms(TOKEN)) expect(allEvents).not.toContain(f);
    expect(allEvents).not.toContain("API_TOKEN");
  });

  it("PUT / DELETE /secrets/{name}: owner only, refused names named, values replaced in place", async () => {
    const { owner, agent } = await ownedEchoAgent({});
    const db = await getDb();
    const put = (name: string, value: unknown, auth: { headers?: Record<string, string>; key?: string }) =>
      call(putSecret, `/api/agents/${agent.id}/secrets/${name}`, {
        method: "PUT",
        ...auth,
        params: { id: agent.id, name },
        body: { value },
      });
    const set = await put("DB_PASSWORD", "correct horse battery staple", { headers: owner.headers });
    expect(set.status).toBe(200);
    expect(secretInfoSchema.parse(set.body)).toMatchObject({ name: "DB_PASSWORD", masked: "••••aple" });
    expect(JSON.stringify(set.body)).not.toContain("correct horse");

    for (const name of ["NODE_OPTIONS", "LD_PRELOAD", "PATH", "AGENT_ID", "lower"]) {
      const refused = await put(name, "x", { headers: owner.headers });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain(name);
      expect(refused.body.details.refused).toEqual([name]);
    }
    expect((await put("OTHER", "", { headers: owner.headers })).status).toBe(400);
    expect((await put("OTHER", "x", { key: (await createAgent(db)).key })).status).toBe(403);
    expect((await put("OTHER", "x", {})).status).toBe(401);

    // The agent's own key may manage them too; a second PUT replaces the value.
    expect((await put("DB_PASSWORD", "rotated-password-0001", { key: agent.api_key })).status).toBe(200);
    expect(await secretValues(db, agent.id)).toEqual({ DB_PASSWORD: "rotated-password-0001" });

    // A runtime written with env merges into the same table; the runtime itself keeps none of it.
    const upd = await call(putAgent, `/api/agents/${agent.id}`, {
      method: "PUT",
      headers: owner.headers,
      params: { id: agent.id },
      body: { runtime: { kind: "local", artifact: "env-echo", env: { EXTRA: "e" } } },
    });
    expect(upd.status).toBe(200);
    expect(upd.body.runtime).toEqual({ kind: "local", artifact: "env-echo" });
    expect(Object.keys(await secretValues(db, agent.id)).sort()).toEqual(["DB_PASSWORD", "EXTRA"]);

    const del = (name: string) =>
      call(deleteSecret, `/x`, { method: "DELETE", headers: owner.headers, params: { id: agent.id, name } });
    expect((await del("EXTRA")).status).toBe(204);
    expect((await del("EXTRA")).status).toBe(404);
    const after = await call(listSecrets, `/x`, { headers: owner.headers, params: { id: agent.id } });
    expect(after.body.data.map((s: { name: string }) => s.name)).toEqual(["DB_PASSWORD"]);
  });

  it("rotation: a new key without the old one cannot start the agent (a clear reason); secrets:rotate re-encrypts", async () => {
    const { agent } = await ownedEchoAgent({ API_TOKEN: TOKEN });
    const db = await getDb();
    // Another agent's ciphertext does not decrypt as this agent's (the agent and name are associated data).
    const [mine] = await db.select().from(agentSecrets).where(eq(agentSecrets.agentId, agent.id));
    const { agent: other } = await ownedEchoAgent({ API_TOKEN: "placeholder-value-000" });
    await db.update(agentSecrets).set({ ciphertext: mine!.ciphertext }).where(eq(agentSecrets.agentId, other.id));
    await expect(secretValues(db, other.id)).rejects.toThrow();

    setTestEnv({ SECRETS_KEY: KEY_B });
    const failed = await runAndReport(agent);
    expect(failed.final.status).toBe("failed");
    expect(failed.final.stopped_reason).toBe(
      "The agent's variables cannot be decrypted (the secrets key is missing or changed)",
    );

    setTestEnv({ SECRETS_KEY: KEY_B, SECRETS_KEY_PREVIOUS: KEY_A });
    await db.delete(agentSecrets).where(eq(agentSecrets.agentId, other.id)); // the tampered row is not ours to keep
    const { rotated, current } = await rotateSecrets(db);
    expect(rotated).toBeGreaterThanOrEqual(1);
    expect(current).toBe(parseKey(KEY_B, "B").id);
    const keys = await db.select({ keyId: agentSecrets.keyId }).from(agentSecrets);
    expect(keys.every((k) => k.keyId === current)).toBe(true);
    expect((await rotateSecrets(db)).rotated).toBe(0);

    setTestEnv({ SECRETS_KEY: KEY_B, SECRETS_KEY_PREVIOUS: undefined });
    const { env } = await runAndReport(agent);
    expect(env?.API_TOKEN).toBe(TOKEN);
    setTestEnv({ SECRETS_KEY: KEY_A });
  });
});
