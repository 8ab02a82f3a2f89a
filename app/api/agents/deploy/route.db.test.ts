import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { and, count, eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { agentBundles, agentRoutes, agentSecrets, agentVersions, apiKeys, deployments, events } from "@/db/schema";
import { materializeBundle } from "@/lib/deploy/bundles";
import { openWebhookSecret } from "@/lib/deploy/webhook-secret";
import { hashApiKey } from "@/lib/auth/api-keys";
import { secretValues } from "@/lib/runtime/secrets/store";
import { setupTestDatabase } from "@/test/db";
import { AGENT_SOURCE, b64, deployRequest, tarGz, zip } from "@/test/fixtures/deploy";
import { createAgent, createUser } from "@/test/fixtures/market";
import { setTestEnv } from "@/test/fixtures/runtime";
import { call, type CallOptions } from "@/test/http";
import { POST as deployRoute } from "./route";

// The controller is another module's (a placeholder here): this file makes it fail on demand, to prove that the
// deploy transaction leaves nothing behind when its last step fails.
const controller = vi.hoisted(() => ({ fail: false, enqueued: [] as string[] }));
vi.mock("@/lib/deploy/controller", () => ({
  enqueueDeployment: async (_tx: unknown, id: string) => {
    if (controller.fail) throw new Error("queue is down");
    controller.enqueued.push(id);
  },
}));

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

const deploy = (body: unknown, opts: CallOptions) => call(deployRoute, "/api/agents/deploy", { ...opts, body });

async function ownedAgent() {
  const owner = await createUser(db());
  const a = await createAgent(db(), { ownerUserId: owner.user.id });
  return { ...a, owner };
}

async function countRows(agentId: string) {
  const n = async (
    table: typeof agentVersions | typeof deployments | typeof agentRoutes | typeof agentSecrets | typeof apiKeys,
  ) => (await db().select({ n: count() }).from(table).where(eq(table.agentId, agentId)))[0]!.n;
  return {
    versions: await n(agentVersions),
    deployments: await n(deployments),
    routes: await n(agentRoutes),
    secrets: await n(agentSecrets),
    keys: await n(apiKeys),
  };
}

afterEach(() => {
  controller.fail = false;
  setTestEnv({
    DEPLOY_MAX_UNPACKED_BYTES: undefined,
    DEPLOY_MAX_BUNDLE_FILES: undefined,
    DEPLOY_MAX_BUNDLE_BYTES: undefined,
  });
});

describe("POST /api/agents/deploy", () => {
  it("deploys a zip bundle: the seed's response, rows in one piece, secrets shown once", async () => {
    const a = await ownedAgent();
    const bundle = zip({
      "src/index.mjs": new TextEncoder().encode(AGENT_SOURCE),
      "README.md": new TextEncoder().encode("hi"),
    });
    const res = await deploy(
      deployRequest(a.agent, {
        code: { source_code: b64(bundle), entrypoint: "src/index.mjs", configuration: { memory_limit: 256 } },
        config: { environment: "staging", auto_scaling: { min_instances: 2, max_instances: 4 } },
        monitoring: { health_check: { interval: 15 } },
      }),
      { headers: a.owner.headers },
    );
    expect(res.status).toBe(202);
    const b = res.body;
    expect(b).toMatchObject({
      agent_id: a.agent.id,
      status: "deploying",
      environment: "staging",
      host: "local",
      strategy: "initial",
      version: "1.0.0",
    });
    expect(b.api_endpoint).toBe(`http://localhost/api/agents/${a.agent.id}/invocations?environment=staging`);
    expect(b.monitoring.dashboard_url).toBe(`http://localhost/agents/${a.agent.id}/deployments`);
    expect(b.deployment_info.region).toBe("local");
    expect(b.deployment_info.runtime_environment).toMatch(/^(sandbox|process)\/node\d+$/);
    expect(Date.parse(b.deployment_info.estimated_completion)).toBeGreaterThan(
      Date.parse(b.deployment_info.created_at),
    );
    expect(b.security.webhook_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(controller.enqueued).toContain(b.deployment_id);

    const [dep] = await db().select().from(deployments).where(eq(deployments.id, b.deployment_id));
    expect(dep).toMatchObject({
      status: "deploying",
      currentPhase: "validate",
      strategy: "initial",
      previousVersionId: null,
    });
    expect(dep!.phases.map((p) => [p.name, p.status])).toEqual(
      ["validate", "package", "provision", "health_check", "shift_traffic", "observe", "complete"].map((n) => [
        n,
        "pending",
      ]),
    );
    expect(dep!.config).toMatchObject({
      evaluation_interval: 15,
      grace_period: 60,
      rolling_steps: 4,
      health_check: { enabled: true, path: "/health", interval: 15 },
      auto_scaling: { enabled: true, min_instances: 2, max_instances: 4, target_utilization: 0.7 },
    });
    const [v] = await db().select().from(agentVersions).where(eq(agentVersions.id, b.version_id));
    expect(v).toMatchObject({ source: "bundle", entrypoint: "src/index.mjs", runtime: "node", tags: ["test"] });
    expect(v!.configuration).toEqual({ memory_limit: 256, timeout: 30, concurrent_executions: 10 });
    const [stored] = await db().select().from(agentBundles).where(eq(agentBundles.digest, v!.bundleDigest!));
    expect(stored!.format).toBe("zip");
    expect(Buffer.compare(stored!.bytes, bundle)).toBe(0);

    // The webhook secret is stored encrypted, bound to the agent and environment.
    const [route] = await db().select().from(agentRoutes).where(eq(agentRoutes.agentId, a.agent.id));
    expect(route).toMatchObject({
      environment: "staging",
      host: "local",
      activeDeploymentId: b.deployment_id,
      liveVersionId: null,
    });
    expect(route!.webhookSecret).not.toContain(b.security.webhook_secret.slice(6, 20));
    expect(openWebhookSecret(a.agent.id, "staging", route!.webhookSecret!)).toBe(b.security.webhook_secret);
    expect(() => openWebhookSecret(a.agent.id, "prod", route!.webhookSecret!)).toThrow();

    // The deploy key: the agent's, only for calling it, stored as a hash.
    const [key] = await db()
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.keyHash, hashApiKey(b.security.api_key)));
    expect(key).toMatchObject({
      agentId: a.agent.id,
      name: "deploy:staging",
      scopes: ["agent:execute", "invoke"],
      revokedAt: null,
    });

    const evs = await db().select().from(events).where(eq(events.subjectId, b.deployment_id));
    expect(evs.map((e) => e.type)).toEqual(["deployment_started"]);
    expect(evs[0]!.isPublic).toBe(false);

    // The stored bundle unpacks into a folder a sandbox can read.
    const dir = await materializeBundle(v!.bundleDigest!);
    expect(fs.readFileSync(path.join(dir, "src/index.mjs"), "utf8")).toBe(AGENT_SOURCE);
    expect(fs.statSync(path.join(dir, "src")).mode & 0o777).toBe(0o755);
    expect(await materializeBundle(v!.bundleDigest!)).toBe(dir);
  });

  it("deploys a .tar.gz bundle and a single .mjs file, told apart by their bytes", async () => {
    const a = await ownedAgent();
    const tgz = await tarGz([
      { name: "./app/", type: "directory" },
      { name: "./app/main.js", data: AGENT_SOURCE, mode: 0o755 },
    ]);
    const t = await deploy(deployRequest(a.agent, { code: { source_code: b64(tgz), entrypoint: "app/main.js" } }), {
      key: a.key,
    });
    expect(t.status).toBe(202);
    const single = await deploy(
      deployRequest(a.agent, {
        version: "2.0.0",
        code: { source_code: b64(AGENT_SOURCE), entrypoint: "server.mjs" },
        config: { environment: "prod" },
      }),
      { key: a.key },
    );
    expect(single.status).toBe(202);
    const formats = await db()
      .select({ version: agentVersions.version, format: agentBundles.format, digest: agentBundles.digest })
      .from(agentVersions)
      .innerJoin(agentBundles, eq(agentBundles.digest, agentVersions.bundleDigest))
      .where(eq(agentVersions.agentId, a.agent.id))
      .orderBy(agentVersions.version);
    expect(formats.map((f) => f.format)).toEqual(["tar.gz", "file"]);
    const tarDir = await materializeBundle(formats[0]!.digest);
    expect(fs.statSync(path.join(tarDir, "app/main.js")).mode & 0o777).toBe(0o755);
    const fileDir = await materializeBundle(formats[1]!.digest);
    expect(fs.readdirSync(fileDir)).toEqual(["server.mjs"]);
  });

  it("deploys an installed artifact and a python entrypoint", async () => {
    const a = await ownedAgent();
    const art = await deploy(deployRequest(a.agent, { code: { artifact: "text-stats" } }), { key: a.key });
    expect(art.status).toBe(202);
    const [v] = await db().select().from(agentVersions).where(eq(agentVersions.id, art.body.version_id));
    expect(v).toMatchObject({ source: "artifact", artifact: "text-stats", bundleDigest: null, runtime: "node" });
    expect(v!.entrypoint).toMatch(/\.m?js$/);
    const unknown = await deploy(
      deployRequest(a.agent, {
        version: "1.0.1",
        code: { artifact: "no-such-thing" },
        config: { environment: "prod" },
      }),
      { key: a.key },
    );
    expect(unknown.status).toBe(422);
    if (fs.existsSync("/usr/bin/python3")) {
      const py = await deploy(
        deployRequest(a.agent, {
          version: "3.0.0",
          code: { source_code: b64("print('hi')\n"), entrypoint: "main.py" },
          config: { environment: "staging" },
        }),
        { key: a.key },
      );
      expect(py.status).toBe(202);
      expect(py.body.deployment_info.runtime_environment).toMatch(/\/python3$/);
    }
  });

  it("reuses a version with the same code and refuses the same version with other code (409), leaving nothing", async () => {
    const a = await ownedAgent();
    const first = await deploy(deployRequest(a.agent), { key: a.key });
    expect(first.status).toBe(202);
    const same = await deploy(deployRequest(a.agent, { config: { environment: "staging" } }), { key: a.key });
    expect(same.status).toBe(202);
    expect(same.body.version_id).toBe(first.body.version_id);

    const before = await countRows(a.agent.id);
    const other = await deploy(
      deployRequest(a.agent, {
        code: { source_code: b64(`${AGENT_SOURCE}// changed\n`), entrypoint: "index.mjs" },
        config: { environment: "prod" },
      }),
      { key: a.key },
    );
    expect(other.status).toBe(409);
    expect(other.body.details.version).toBe("1.0.0");
    // Configuration is part of the code, too.
    const config = await deploy(
      deployRequest(a.agent, {
        code: { source_code: b64(AGENT_SOURCE), entrypoint: "index.mjs", configuration: { timeout: 60 } },
        config: { environment: "prod" },
      }),
      { key: a.key },
    );
    expect(config.status).toBe(409);
    expect(await countRows(a.agent.id)).toEqual(before);
  });

  it("allows one rollout per agent and environment: racing deploys get one 202 and one 409", async () => {
    const a = await ownedAgent();
    const [x, y] = await Promise.all([
      deploy(deployRequest(a.agent, { version: "1.0.0" }), { key: a.key }),
      deploy(deployRequest(a.agent, { version: "1.0.1" }), { key: a.key }),
    ]);
    expect([x.status, y.status].sort()).toEqual([202, 409]);
    const lost = x.status === 409 ? x : y;
    const won = x.status === 409 ? y : x;
    expect(lost.body.details.deployment_id).toBe(won.body.deployment_id);
    const rows = await db().select().from(deployments).where(eq(deployments.agentId, a.agent.id));
    expect(rows.map((r) => r.id)).toEqual([won.body.deployment_id]);
    expect((await countRows(a.agent.id)).keys).toBe(2); // the fixture's key and the winner's deploy key
  });

  it("commits nothing when a step after the inserts fails", async () => {
    const a = await ownedAgent();
    const before = await countRows(a.agent.id);
    const bundles = (await db().select({ n: count() }).from(agentBundles))[0]!.n;
    controller.fail = true;
    const res = await deploy(
      deployRequest(a.agent, {
        code: {
          source_code: b64(zip({ "x.mjs": new TextEncoder().encode("// unique to this test\n") })),
          entrypoint: "x.mjs",
        },
        config: { security: { environment_variables: { API_TOKEN: "secret-value-123456" } } },
      }),
      { key: a.key },
    );
    expect(res.status).toBe(500);
    expect(res.body.message).not.toContain("queue");
    expect(await countRows(a.agent.id)).toEqual(before);
    expect((await db().select({ n: count() }).from(agentBundles))[0]!.n).toBe(bundles);
    const evs = await db().select().from(events).where(eq(events.subjectType, "deployment"));
    expect(evs.filter((e) => e.agentIds.includes(a.agent.id))).toEqual([]);
  });

  it("stores environment_variables as the agent's encrypted secrets and never echoes them", async () => {
    const a = await ownedAgent();
    const value = "s3cr3t-value-never-shown";
    const res = await deploy(
      deployRequest(a.agent, { config: { security: { environment_variables: { API_TOKEN: value } } } }),
      { key: a.key },
    );
    expect(res.status).toBe(202);
    expect(JSON.stringify(res.body)).not.toContain(value);
    const [row] = await db()
      .select()
      .from(agentSecrets)
      .where(and(eq(agentSecrets.agentId, a.agent.id), eq(agentSecrets.name, "API_TOKEN")));
    expect(row!.ciphertext).not.toContain(value);
    expect(await secretValues(db(), a.agent.id)).toEqual({ API_TOKEN: value });
    const [dep] = await db().select().from(deployments).where(eq(deployments.id, res.body.deployment_id));
    const evs = await db().select().from(events).where(eq(events.subjectId, res.body.deployment_id));
    expect(JSON.stringify([dep, evs])).not.toContain(value);
    expect(JSON.stringify([dep, evs])).not.toContain("API_TOKEN");

    const refused = await deploy(
      deployRequest(a.agent, {
        version: "1.0.1",
        config: { environment: "prod", security: { environment_variables: { NODE_OPTIONS: "--require /x" } } },
      }),
      { key: a.key },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain("NODE_OPTIONS");
  });

  it("checks scopes and ownership", async () => {
    const a = await ownedAgent();
    const body = deployRequest(a.agent);
    const noScope = await createAgent(db(), { scopes: ["agents:write", "agent:execute", "invoke"] });
    expect((await deploy(deployRequest(noScope.agent), { key: noScope.key })).status).toBe(403);
    const narrow = await createAgent(db(), { scopes: ["agent:deploy"] });
    const lacks = await deploy(deployRequest(narrow.agent), { key: narrow.key });
    expect(lacks.status).toBe(403);
    expect(lacks.body.details.missing_scopes).toEqual(["agent:execute", "invoke"]);
    const other = await createAgent(db());
    expect((await deploy(body, { key: other.key })).status).toBe(403);
    const stranger = await createUser(db());
    expect((await deploy(body, { headers: stranger.headers })).status).toBe(403);
    const missing = await deploy(deployRequest({ id: "00000000-0000-4000-8000-000000000000", name: "x" }), {
      key: a.key,
    });
    expect(missing.status).toBe(404);
    expect((await deploy(body, {})).status).toBe(401);
    expect((await countRows(a.agent.id)).deployments).toBe(0);
    expect((await deploy(body, { headers: a.owner.headers })).status).toBe(202);
  });

  it("refuses what the local host cannot or must not do (422) and malformed requests (400)", async () => {
    const a = await ownedAgent();
    const expectStatus = async (status: number, body: unknown, text?: string) => {
      const res = await deploy(body, { key: a.key });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (text) expect(res.body.message).toContain(text);
    };
    const code = { source_code: b64(AGENT_SOURCE), entrypoint: "index.mjs" };
    await expectStatus(
      422,
      deployRequest(a.agent, { config: { security: { iam_role_arn: "arn:aws:iam::123456789012:role/admin" } } }),
      "iam_role_arn",
    );
    await expectStatus(
      422,
      deployRequest(a.agent, { config: { security: { vpc_config: { subnet_ids: ["subnet-1"] } } } }),
      "vpc_config",
    );
    await expectStatus(
      422,
      deployRequest(a.agent, { config: { host: "fargate" } }),
      "the fargate host is not configured",
    );
    await expectStatus(
      422,
      deployRequest(a.agent, { config: { host: "agentcore" } }),
      "the agentcore host is not configured",
    );
    await expectStatus(422, deployRequest(a.agent, { code: { container_image: "repo/agent:1" } }), "images");
    await expectStatus(
      422,
      deployRequest(a.agent, { code: { ...code, dependencies: { python: ["requests"] } } }),
      "vendor",
    );
    await expectStatus(
      422,
      deployRequest(a.agent, { code: { source_code: b64("echo hi"), entrypoint: "run.sh" } }),
      ".py",
    );
    await expectStatus(
      422,
      deployRequest(a.agent, {
        code: { source_code: b64(zip({ "a.mjs": new Uint8Array([1]) })), entrypoint: "b.mjs" },
      }),
      "not a file of the bundle",
    );
    await expectStatus(
      422,
      { ...deployRequest(a.agent), agent_metadata: { ...deployRequest(a.agent).agent_metadata, name: "someone else" } },
      "agent's name",
    );
    await expectStatus(400, deployRequest(a.agent, { version: "one" }), "semantic version");
    await expectStatus(400, { ...deployRequest(a.agent), extra: 1 });
    await expectStatus(400, deployRequest(a.agent, { code: { ...code, unknown_field: true } }));
    await expectStatus(400, deployRequest(a.agent, { code: { ...code, artifact: "text-stats" } }), "exactly one");
    await expectStatus(400, deployRequest(a.agent, { code: { source_code: b64(AGENT_SOURCE) } }), "entrypoint");
    await expectStatus(
      400,
      deployRequest(a.agent, { code: { source_code: "not base64!", entrypoint: "a.mjs" } }),
      "base64",
    );
    await expectStatus(400, deployRequest(a.agent, { code: { ...code, entrypoint: "../a.mjs" } }), "relative");
    await expectStatus(400, deployRequest(a.agent, { config: { environment: "qa" } }));
    await expectStatus(
      400,
      deployRequest(a.agent, { config: { auto_scaling: { min_instances: 5, max_instances: 2 } } }),
      "min_instances",
    );
    expect((await countRows(a.agent.id)).deployments).toBe(0);
  });
});

describe("bundles that break out, lie or explode", () => {
  const text = (s: string) => new TextEncoder().encode(s);

  async function refusal(bundle: Buffer, entrypoint = "index.mjs") {
    const a = await ownedAgent();
    const res = await deploy(deployRequest(a.agent, { code: { source_code: b64(bundle), entrypoint } }), {
      key: a.key,
    });
    expect((await countRows(a.agent.id)).versions).toBe(0);
    return res;
  }

  it("refuses paths outside the bundle, links and devices (400)", async () => {
    const cases: [Buffer, string][] = [
      [zip({ "index.mjs": text("1"), "../evil.mjs": text("2") }), "../evil.mjs"],
      [zip({ "index.mjs": text("1"), "/etc/cron.d/x": text("2") }), "/etc/cron.d/x"],
      [zip({ "index.mjs": text("1"), link: [text("/etc/passwd"), { os: 3, attrs: (0o120777 << 16) >>> 0 }] }), "link"],
      [zip({ "index.mjs": text("1"), fifo: [text(""), { os: 3, attrs: (0o010644 << 16) >>> 0 }] }), "fifo"],
      [
        await tarGz([
          { name: "index.mjs", data: "1" },
          { name: "../../x.mjs", data: "2" },
        ]),
        "../../x.mjs",
      ],
      [
        await tarGz([
          { name: "index.mjs", data: "1" },
          { name: "/abs.mjs", data: "2" },
        ]),
        "/abs.mjs",
      ],
      [
        await tarGz([
          { name: "index.mjs", data: "1" },
          { name: "passwd", type: "symlink", linkname: "/etc/passwd" },
        ]),
        "passwd",
      ],
      [
        await tarGz([
          { name: "index.mjs", data: "1" },
          { name: "hard", type: "link", linkname: "index.mjs" },
        ]),
        "hard",
      ],
      [
        await tarGz([
          { name: "index.mjs", data: "1" },
          { name: "null", type: "character-device", devmajor: 1, devminor: 3 },
        ]),
        "null",
      ],
      [
        await tarGz([
          { name: "index.mjs", data: "1" },
          { name: "index.mjs", data: "2" },
        ]),
        "twice",
      ],
    ];
    for (const [bundle, what] of cases) {
      const res = await refusal(bundle);
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error).toBe("ValidationError");
      expect(res.body.message).toContain(what);
    }
  });

  it("refuses zip and gzip bombs, headers that lie, too many files and too many bytes (413)", async () => {
    setTestEnv({
      DEPLOY_MAX_UNPACKED_BYTES: String(1 << 20),
      DEPLOY_MAX_BUNDLE_FILES: "20",
      DEPLOY_MAX_BUNDLE_BYTES: String(64 << 10),
    });
    const zeros = new Uint8Array(4 << 20); // 4 MB of zeros compresses to a few KB
    const bomb = zip({ "index.mjs": text("1"), "pad.bin": zeros });
    expect(bomb.length).toBeLessThan(64 << 10);
    const zipBomb = await refusal(bomb);
    expect(zipBomb.status).toBe(413);
    expect(zipBomb.body.error).toBe("PayloadTooLargeError");
    expect(zipBomb.body.message).toContain("unpacks to more than");
    const tarBomb = await refusal(
      await tarGz([
        { name: "index.mjs", data: "1" },
        { name: "pad.bin", data: Buffer.from(zeros) },
      ]),
    );
    expect(tarBomb.status).toBe(413);

    // A zip whose headers claim 1 KB for 2 MB of data: the inflated bytes are counted, not the claims.
    const liar = zip({ "index.mjs": text("1"), "pad.bin": new Uint8Array(2 << 20) });
    patchUncompressedSize(liar, "pad.bin", 1024);
    const lied = await refusal(liar);
    expect([400, 413]).toContain(lied.status);
    expect(lied.body.message).toMatch(/unpacks to more than|too many bytes|expected/);

    const many: Record<string, Uint8Array> = { "index.mjs": text("1") };
    for (let i = 0; i < 25; i++) many[`f${i}.txt`] = text(String(i));
    expect((await refusal(zip(many))).status).toBe(413);
    expect((await refusal(Buffer.alloc(65 << 10, 7), "big.mjs")).status).toBe(413);
  });

  it("refuses what is not an archive it can read (400) and an uncompressed tar (422)", async () => {
    const truncated = zip({ "index.mjs": text(AGENT_SOURCE) }).subarray(0, 40);
    expect((await refusal(truncated)).status).toBe(400);
    expect((await refusal(Buffer.from([0x1f, 0x8b, 0, 1, 2, 3]))).status).toBe(400);
    const plainTar = zlib.gunzipSync(await tarGz([{ name: "index.mjs", data: "1" }]));
    const res = await refusal(plainTar);
    expect(res.status).toBe(422);
    expect(res.body.message).toContain("uncompressed tar");
  });
});

/** Rewrites the uncompressed size of `name` in its local header and central directory entry. */
function patchUncompressedSize(z: Buffer, name: string, size: number): void {
  for (let i = 0; i < z.length - 4; i++) {
    const sig = z.readUInt32LE(i);
    if (sig === 0x04034b50 && z.toString("utf8", i + 30, i + 30 + z.readUInt16LE(i + 26)) === name)
      z.writeUInt32LE(size, i + 22);
    if (sig === 0x02014b50 && z.toString("utf8", i + 46, i + 46 + z.readUInt16LE(i + 28)) === name)
      z.writeUInt32LE(size, i + 24);
  }
}
