import path from "node:path";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "@/test/db";
import { b64, deployRequest } from "@/test/fixtures/deploy";
import { invokeDeployed, ownedAgent, settled, setupTestController } from "@/test/fixtures/deployments";
import { call } from "@/test/http";
import { FILE_AND_NETWORK_PROBES, PROMPT_SERVER } from "@/test/fixtures/sandbox-probes";
import { POST as deployRoute } from "./route";

/*
 * The sandbox through the product path: an owner uploads a bundle whose code tries to break out, the controller
 * deploys it like any other, and a call through the invocation endpoint makes it try. It answers what it managed;
 * every attempt must have failed (its error code is what it reports), while a write to its own scratch folder works.
 */

setupTestDatabase();
setupTestController();

const ESCAPE = String.raw`
import fs from "node:fs";
import http from "node:http";
import net from "node:net";

${FILE_AND_NETWORK_PROBES}
async function attempt(app) {
  return {
    shadow: read("/etc/shadow"),
    passwd: read("/etc/passwd"),
    app_package: read(app.dir + "/package.json"),
    app_env_file: read(app.dir + "/.env"),
    app_environ: read("/proc/" + app.pid + "/environ"),
    own_environ: read("/proc/self/environ"),
    env_names: Object.keys(process.env).sort(),
    env_values: Object.values(process.env),
    write_bundle: write("/app/escape"),
    write_root: write("/escape"),
    write_tmp: write("/tmp/escape"),
    write_app_dir: write(app.dir + "/escape"),
    write_scratch: write("/scratch/escape"),
    postgres: await connect("127.0.0.1", 5432),
    postgres_host: await connect(app.hostIp, 5432),
  };
}

const answer = (prompt) => attempt(JSON.parse(prompt));
${PROMPT_SERVER}`;

describe("an uploaded bundle that tries to break out of its sandbox", () => {
  it("reads none of the host's or the app's files and environment, writes only its scratch, reaches no database", async () => {
    const canary = "escape-canary-4f1d";
    process.env.ESCAPE_TEST_CANARY = canary;
    try {
      const t = await ownedAgent();
      const res = await call(deployRoute, "/api/agents/deploy", {
        headers: t.owner.headers,
        body: deployRequest(t.agent, {
          code: { source_code: b64(ESCAPE), entrypoint: "server.mjs" },
          config: { environment: "prod" },
        }),
      });
      expect(res.status).toBe(202);
      expect((await settled(res.body.deployment_id)).status).toBe("deployed");

      // The app's own folder and process are where the agent is told to look (as if it had guessed them).
      const app = { dir: path.resolve("."), pid: process.pid, hostIp: "127.0.0.1" };
      const r = await invokeDeployed(t, JSON.stringify(app));
      expect(r.status).toBe(200);
      const got = JSON.parse(r.body.response as string) as Record<string, unknown> & {
        env_names: string[];
        env_values: string[];
      };
      expect(got).toMatchObject({
        shadow: "ENOENT",
        passwd: "ENOENT",
        app_package: "ENOENT",
        app_env_file: "ENOENT",
        app_environ: "ENOENT",
        write_bundle: "EROFS",
        postgres: "ECONNREFUSED",
        postgres_host: "ECONNREFUSED",
        write_scratch: "WROTE",
      });
      expect(got.own_environ).toMatch(/^READ /);
      for (const key of ["write_root", "write_tmp", "write_app_dir"]) {
        expect(got[key], key).toMatch(/^(EROFS|EACCES|EPERM|ENOENT)$/);
      }
      for (const name of ["DATABASE_URL", "AUTH_SECRET", "NEXTAUTH_SECRET", "ESCAPE_TEST_CANARY", "TEST_DB"]) {
        expect(got.env_names).not.toContain(name);
      }
      expect(got.env_values.join("\n")).not.toContain(canary);
      expect(got.env_names).toEqual(expect.arrayContaining(["AGENT_ID", "PORT"]));
    } finally {
      delete process.env.ESCAPE_TEST_CANARY;
    }
  });
});
