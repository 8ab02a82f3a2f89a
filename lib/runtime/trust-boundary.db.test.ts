import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getAgent, PUT as putAgent } from "@/app/api/agents/[id]/route";
import { POST as runAgent } from "@/app/api/agents/[id]/run/route";
import { POST as invoke } from "@/app/api/agents/invoke/route";
import { PATCH as patchMe } from "@/app/api/agents/me/route";
import { POST as register } from "@/app/api/agents/route";
import { GET as getExecution } from "@/app/api/executions/[id]/route";
import { POST as stopExecution } from "@/app/api/executions/[id]/stop/route";
import { getDb } from "@/db/client";
import { agentSessions, executions } from "@/db/schema";
import { setAgentCoreClient } from "@/lib/invoke/client";
import { createAgent } from "@/test/fixtures/market";
import type { AgentCoreServer } from "@/test/doubles/agentcore-server";
import { FAULTY_ARN, MARKDOWN_ARN, startTestAgentCore, testClient } from "@/test/fixtures/agentcore";
import { startEcsServer, type EcsServer } from "@/test/doubles/ecs-server";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { hosts, closeHosts } from "./hosts/index";
import { CONTRACT_ENV_NAMES } from "./env-policy";
import { installEchoArtifact, setTestEnv, waitFor } from "@/test/fixtures/runtime";

/**
 * The trust boundary's proof: every way a stranger could make the platform run code, or act with its AWS identity, on
 * something the operator did not allow, driven through the public API route handlers. Each is refused with a 4xx,
 * and afterwards: the marker file a payload would create does not exist, the local host spawned no process, no
 * execution was recorded, and the loopback ECS and AgentCore endpoints received no request at all.
 */

setupTestDatabase();

const MARKER_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "agent-market-pwned-"));
const MARKER = path.join(MARKER_DIR, "pwned");
const js = `import("node:fs").then((fs) => fs.writeFileSync(${JSON.stringify(MARKER)}, "ran"))`;
const DATA_IMPORT = `--import=data:text/javascript,${encodeURIComponent(js)}`;
const SHELL = `touch ${MARKER}`;

const ECS = {
  ECS_CLUSTER: "platform-cluster",
  ECS_SUBNETS: "subnet-0platform",
  ECS_SECURITY_GROUPS: "sg-0platform",
  ECS_TASK_ROLE_ARN: "arn:aws:iam::123456789012:role/agent-task",
  ECS_EXECUTION_ROLE_ARN: "arn:aws:iam::123456789012:role/agent-exec",
  ECS_TASK_DEFINITION_PREFIX: "agent-market-",
};

let ecs: EcsServer;
let agentcore: AgentCoreServer;
let artifactsDir: string;

beforeAll(async () => {
  ecs = await startEcsServer({ taskDefinitions: { "agent-market-text-stats": { artifact: "text-stats" } } });
  agentcore = await startTestAgentCore();
  artifactsDir = installEchoArtifact();
  setTestEnv({
    ...ECS,
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDTESTTESTTEST",
    AWS_SECRET_ACCESS_KEY: "test-secret",
    LOCAL_AGENTS_DIR: artifactsDir,
    // The operator allows one AgentCore runtime-name prefix of one account.
    AGENTCORE_ALLOWED_RUNTIME_ARNS: "arn:aws:bedrock-agentcore:*:111122223333:runtime/Markdown_*",
    ONBOARDING_AGENT_ARN: undefined,
    PROVISIONING_AGENT_ARN: undefined,
    MWC_AGENT_ARN: undefined,
  });
  setAgentCoreClient(testClient(agentcore));
});

afterAll(async () => {
  closeHosts({ kill: true });
  setAgentCoreClient(undefined);
  setTestEnv({ ...Object.fromEntries(Object.keys(ECS).map((k) => [k, undefined])), LOCAL_AGENTS_DIR: undefined });
  setTestEnv({ AGENTCORE_ALLOWED_RUNTIME_ARNS: undefined, AWS_ENDPOINT_URL_ECS: undefined });
  await Promise.all([ecs?.close(), agentcore?.close()]);
  fs.rmSync(MARKER_DIR, { recursive: true, force: true });
  fs.rmSync(artifactsDir, { recursive: true, force: true });
});

/** Every environment name the issue lists (and a few more of each family), each refused on its own. */
const REFUSED_ENV: Record<string, string> = {
  NODE_OPTIONS: DATA_IMPORT,
  NODE_EXTRA_CA_CERTS: "/tmp/evil.pem",
  NODE_PATH: MARKER_DIR,
  LD_PRELOAD: "/tmp/evil.so",
  LD_LIBRARY_PATH: "/tmp",
  DYLD_INSERT_LIBRARIES: "/tmp/evil.dylib",
  PATH: MARKER_DIR,
  PYTHONSTARTUP: "/tmp/evil.py",
  PYTHONPATH: "/tmp",
  PERL5OPT: "-Mevil",
  RUBYOPT: "-revil",
  JAVA_TOOL_OPTIONS: "-javaagent:/tmp/evil.jar",
  _JAVA_OPTIONS: "-javaagent:/tmp/evil.jar",
  BASH_ENV: "/tmp/evil.sh",
  ENV: "/tmp/evil.sh",
  HOME: MARKER_DIR,
  SHELL: "/tmp/evil",
  IFS: "/",
  TMPDIR: MARKER_DIR,
  GCONV_PATH: "/tmp",
  MALLOC_CHECK_: "3",
  GLIBC_TUNABLES: "glibc.malloc.check=3",
  OPENSSL_CONF: "/tmp/evil.cnf",
  SSL_CERT_FILE: "/tmp/evil.pem",
  PORT: "1",
  HOST: "0.0.0.0",
  AGENT_ID: "someone-else",
  INPUT_DATA: "{}",
  EXECUTION_ID: "x",
  node_options: DATA_IMPORT,
  "BAD-NAME": "x",
};

/** Local runtimes that carry a program, an argv, interpreter flags or a path instead of an installed artifact. */
const LOCAL_VECTORS: { runtime: Record<string, unknown>; status: number }[] = [
  { runtime: { kind: "local", command: ["sh", "-c", SHELL] }, status: 400 },
  { runtime: { kind: "local", command: ["node", "agents/text-stats/server.mjs"] }, status: 400 },
  { runtime: { kind: "local", artifact: "text-stats", command: ["sh", "-c", SHELL] }, status: 400 },
  { runtime: { kind: "local", artifact: "text-stats", args: ["-e", js] }, status: 400 },
  { runtime: { kind: "local", artifact: "text-stats", argv: ["node", "-e", js] }, status: 400 },
  { runtime: { kind: "local", artifact: "text-stats", node_args: [DATA_IMPORT] }, status: 400 },
  { runtime: { kind: "local", artifact: "text-stats", interpreter: "/bin/sh" }, status: 400 },
  { runtime: { kind: "local", artifact: "text-stats", entrypoint: "../../../tmp/evil.mjs" }, status: 400 },
  { runtime: { kind: "local", artifact: "text-stats", cwd: "/" }, status: 400 },
  { runtime: { kind: "local", artifact: DATA_IMPORT }, status: 400 },
  { runtime: { kind: "local", artifact: "../../tmp/evil" }, status: 400 },
  { runtime: { kind: "local", artifact: "/bin/sh" }, status: 400 },
  { runtime: { kind: "local", artifact: "not-installed" }, status: 400 },
  { runtime: { kind: "local", artifact: "lib" }, status: 400 }, // agents/lib has no manifest: not an artifact
];

/** Fargate runtimes naming what only the operator may name, or a family outside the operator's prefix. */
const FARGATE_VECTORS: { runtime: Record<string, unknown>; status: number }[] = [
  { runtime: { kind: "fargate", task_definition: "agent-market-text-stats:1", cluster: "prod" }, status: 400 },
  { runtime: { kind: "fargate", task_definition: "agent-market-text-stats", subnets: ["subnet-0evil"] }, status: 400 },
  {
    runtime: { kind: "fargate", task_definition: "agent-market-text-stats", security_groups: ["sg-0open"] },
    status: 400,
  },
  { runtime: { kind: "fargate", task_definition: "agent-market-text-stats", assign_public_ip: true }, status: 400 },
  {
    runtime: {
      kind: "fargate",
      task_definition: "agent-market-text-stats",
      task_role_arn: "arn:aws:iam::1:role/admin",
    },
    status: 400,
  },
  {
    runtime: {
      kind: "fargate",
      task_definition: "agent-market-text-stats",
      execution_role_arn: "arn:aws:iam::1:role/admin",
    },
    status: 400,
  },
  {
    runtime: { kind: "fargate", task_definition: "agent-market-text-stats", overrides: { command: ["sh"] } },
    status: 400,
  },
  {
    runtime: {
      kind: "fargate",
      task_definition: "arn:aws:ecs:us-east-1:999999999999:task-definition/agent-market-text-stats:1",
    },
    status: 400,
  },
  { runtime: { kind: "fargate", task_definition: "platform-admin:1" }, status: 403 },
  { runtime: { kind: "fargate", task_definition: "agent-market-" }, status: 403 },
];

const AGENTCORE_VECTORS: { runtime: Record<string, unknown>; status: number }[] = [
  // Another account, and an allowed account outside the allowed name prefix.
  {
    runtime: { kind: "agentcore", runtime_arn: "arn:aws:bedrock-agentcore:us-east-1:999999999999:runtime/Markdown_x" },
    status: 403,
  },
  { runtime: { kind: "agentcore", runtime_arn: FAULTY_ARN }, status: 403 },
  {
    runtime: {
      kind: "agentcore",
      runtime_arn: "arn:aws:bedrock-agentcore:us-east-1:111122223333:runtime/x/../Markdown_a",
    },
    status: 400,
  },
];

function expectError(res: { status: number; body: any }, status: number, what: string) {
  expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
  expect(typeof res.body.error).toBe("string");
  expect(typeof res.body.message).toBe("string");
}

function expectNothingRan() {
  expect(fs.existsSync(MARKER)).toBe(false);
  expect(hosts().local.watching).toBe(0);
  expect(ecs.calls).toEqual([]);
  expect(agentcore.stats).toMatchObject({ connections: 0, invocations: 0 });
}

describe("the trust boundary (README.md, Security model): nothing a request names runs or acts with the platform's identity", () => {
  let victim: { id: string; api_key: string };

  it("registration refuses every runtime vector; nothing ran and no AWS call left the process", async () => {
    for (const v of [...LOCAL_VECTORS, ...FARGATE_VECTORS, ...AGENTCORE_VECTORS]) {
      const res = await call(register, "/api/agents", { body: { name: "stranger", runtime: v.runtime } });
      expectError(res, v.status, JSON.stringify(v.runtime));
    }
    // The unknown-artifact answer names the installed ones (the demo agents and the operator's folder).
    const unknown = await call(register, "/api/agents", {
      body: { name: "s", runtime: { kind: "local", artifact: "not-installed" } },
    });
    expect(unknown.body.details.artifacts).toEqual(
      expect.arrayContaining(["text-stats", "sentiment", "markdown", "json-csv", "env-echo"]),
    );
    expect(unknown.body.details.artifacts).not.toContain("lib");
    expectNothingRan();
  });

  it("each refused variable is a 400 naming it; all at once, a 400 naming every one", async () => {
    for (const [name, value] of Object.entries(REFUSED_ENV)) {
      const res = await call(register, "/api/agents", {
        body: { name: "s", runtime: { kind: "local", artifact: "text-stats", env: { OK_VAR: "1", [name]: value } } },
      });
      expectError(res, 400, name);
      expect(res.body.message).toContain(name);
      expect(res.body.message).not.toContain("OK_VAR");
      expect(Object.keys(res.body.details.fields)).toContain(`runtime.env.${name}`);
    }
    const all = await call(register, "/api/agents", {
      body: { name: "s", runtime: { kind: "local", artifact: "text-stats", env: REFUSED_ENV } },
    });
    expectError(all, 400, "all refused names");
    for (const name of Object.keys(REFUSED_ENV)) {
      expect(all.body.message).toContain(name);
      expect(all.body.details.fields[`runtime.env.${name}`]).toEqual(expect.any(String));
    }
    expectNothingRan();
  });

  it("updates (PUT /api/agents/{id}, PATCH /api/agents/me) refuse the same, and the agent keeps its runtime", async () => {
    const made = await call(register, "/api/agents", {
      body: { name: "victim", runtime: { kind: "local", artifact: "env-echo", env: { GREETING: "hello" } } },
    });
    expect(made.status).toBe(201);
    victim = made.body;
    const vectors = [
      ...LOCAL_VECTORS,
      ...FARGATE_VECTORS,
      ...AGENTCORE_VECTORS,
      ...Object.entries(REFUSED_ENV).map(([k, v]) => ({
        runtime: { kind: "local", artifact: "env-echo", env: { [k]: v } },
        status: 400,
      })),
    ];
    for (const v of vectors) {
      const put = await call(putAgent, `/api/agents/${victim.id}`, {
        method: "PUT",
        key: victim.api_key,
        params: { id: victim.id },
        body: { runtime: v.runtime },
      });
      expectError(put, v.status, `PUT ${JSON.stringify(v.runtime)}`);
      const patch = await call(patchMe, "/api/agents/me", {
        method: "PATCH",
        key: victim.api_key,
        body: { runtime: v.runtime },
      });
      expectError(patch, v.status, `PATCH ${JSON.stringify(v.runtime)}`);
    }
    const now = await call(getAgent, `/api/agents/${victim.id}`, { params: { id: victim.id } });
    expect(now.body.runtime).toEqual({ kind: "local", artifact: "env-echo" });
    expectNothingRan();
  });

  it("without the operator's ECS configuration, a Fargate runtime is refused with 422", async () => {
    setTestEnv({ ECS_CLUSTER: undefined });
    try {
      const res = await call(register, "/api/agents", {
        body: { name: "s", runtime: { kind: "fargate", task_definition: "agent-market-text-stats" } },
      });
      expectError(res, 422, "no ECS config");
      expect(res.body.message).toContain("ECS_CLUSTER");
    } finally {
      setTestEnv({ ECS_CLUSTER: ECS.ECS_CLUSTER });
    }
    expectNothingRan();
  });

  it("runtimes stored before the rules (or the operator narrowed them) are refused again when run or invoked", async () => {
    const db = await getDb();
    const legacy = await createAgent(db, { runtime: { kind: "local", command: ["sh", "-c", SHELL] } });
    const legacyEnv = await createAgent(db, {
      runtime: { kind: "local", command: ["node", "agents/text-stats/server.mjs"], env: { NODE_OPTIONS: DATA_IMPORT } },
    });
    const foreignFamily = await createAgent(db, { runtime: { kind: "fargate", task_definition: "platform-admin:1" } });
    const oldFargate = await createAgent(db, {
      runtime: {
        kind: "fargate",
        cluster: "prod",
        task_definition: "agent-market-text-stats:1",
        container_name: "agent",
        subnets: ["subnet-0evil"],
        security_groups: [],
        assign_public_ip: true,
      },
    });
    const run = (a: { agent: { id: string }; key: string }) =>
      call(runAgent, `/api/agents/${a.agent.id}/run`, { key: a.key, params: { id: a.agent.id }, body: { input: {} } });
    expectError(await run(legacy), 422, "legacy command");
    expectError(await run(legacyEnv), 422, "legacy env");
    expectError(await run(oldFargate), 422, "legacy fargate");
    expectError(await run(foreignFamily), 403, "foreign family");
    // The public resource never shows a legacy runtime's env.
    const shown = await call(getAgent, `/api/agents/${legacyEnv.agent.id}`, { params: { id: legacyEnv.agent.id } });
    expect(JSON.stringify(shown.body)).not.toContain("NODE_OPTIONS");

    const foreignArn = await createAgent(db, {
      runtime: { kind: "agentcore", runtime_arn: FAULTY_ARN, transport: "ws" },
    });
    const caller = await createAgent(db);
    const refused = await call(invoke, "/api/agents/invoke", {
      key: caller.key,
      body: { agentId: foreignArn.agent.id, prompt: "hello" },
    });
    expectError(refused, 403, "foreign ARN at invoke time");
    expect(refused.body.details.agentId).toBe(foreignArn.agent.id);
    expect(await db.select().from(agentSessions).where(eq(agentSessions.callerAgentId, caller.agent.id))).toEqual([]);
    for (const a of [legacy, legacyEnv, foreignFamily, oldFargate]) {
      expect(await db.select().from(executions).where(eq(executions.agentId, a.agent.id))).toEqual([]);
    }
    expectNothingRan();
  });

  it("what the operator allows still works: the doubles do record calls, and the child's environment is the platform's", async () => {
    // AgentCore: an allowed ARN reaches the endpoint.
    const db = await getDb();
    const allowed = await call(register, "/api/agents", {
      body: { name: "allowed", runtime: { kind: "agentcore", runtime_arn: MARKDOWN_ARN, transport: "http" } },
    });
    expect(allowed.status).toBe(201);
    const caller = await createAgent(db);
    const answered = await call(invoke, "/api/agents/invoke", {
      key: caller.key,
      body: { agentId: allowed.body.id, prompt: "# hi" },
    });
    expect(answered.status).toBe(200);
    expect(agentcore.stats.invocations).toBeGreaterThan(0);

    // Fargate: RunTask goes out with the operator's cluster and network, the family the agent named.
    const fg = await call(register, "/api/agents", {
      body: { name: "fg", runtime: { kind: "fargate", task_definition: "agent-market-text-stats:1" } },
    });
    expect(fg.status).toBe(201);
    const started = await call(runAgent, `/api/agents/${fg.body.id}/run`, {
      key: fg.body.api_key,
      params: { id: fg.body.id },
      body: { input: {} },
    });
    expect(started.status).toBe(202);
    const task = ecs.tasks.get(started.body.task_arn)!;
    expect(task.cluster).toBe(ECS.ECS_CLUSTER);
    expect(task.networkConfiguration).toMatchObject({
      awsvpcConfiguration: { subnets: ["subnet-0platform"], securityGroups: ["sg-0platform"] },
    });
    await call(stopExecution, `/api/executions/${started.body.execution_id}/stop`, {
      key: fg.body.api_key,
      params: { id: started.body.execution_id },
      method: "POST",
    });

    // Local: the victim agent, after every refused update, runs its artifact with the platform's environment only.
    const run = await call(runAgent, `/api/agents/${victim.id}/run`, {
      key: victim.api_key,
      params: { id: victim.id },
      body: { input: {} },
    });
    expect(run.status).toBe(202);
    const id = run.body.execution_id as string;
    const running = await waitFor(async () => {
      const r = (await call(getExecution, `/api/executions/${id}`, { key: victim.api_key, params: { id } })).body;
      return r.status === "running" ? r : undefined;
    }, "env-echo running");
    const report = await fetch(`${running.endpoint}/invocations`, { method: "POST", body: "{}" }).then((r) => r.json());
    const allowedNames = new Set(["PATH", "LANG", "TZ", ...CONTRACT_ENV_NAMES, "GREETING"]);
    expect(Object.keys(report.env).filter((k) => !allowedNames.has(k))).toEqual([]);
    expect(report.env).toMatchObject({ GREETING: "hello", AGENT_ID: victim.id, PATH: "/usr/local/bin:/usr/bin:/bin" });
    expect(report.execArgv).toEqual([]);
    expect(report.argv).toEqual([process.execPath, path.join(fs.realpathSync(artifactsDir), "env-echo", "main.mjs")]);
    expect(report.cwd).toBe(path.join(fs.realpathSync(artifactsDir), "env-echo"));
    await call(stopExecution, `/api/executions/${id}/stop`, { key: victim.api_key, params: { id }, method: "POST" });
    expect(fs.existsSync(MARKER)).toBe(false);
  });
});
