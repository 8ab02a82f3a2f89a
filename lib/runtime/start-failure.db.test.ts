import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as runAgent } from "@/app/api/agents/[id]/run/route";
import { POST as register } from "@/app/api/agents/route";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { startFailureOf } from "./start";
import { closeHosts } from "./hosts/index";
import { installEchoArtifact, setTestEnv } from "@/test/fixtures/runtime";
import { HostStartError, isHostStartError } from "./types";

setupTestDatabase();

let artifactsDir: string;
beforeAll(() => {
  artifactsDir = installEchoArtifact();
  setTestEnv({ LOCAL_AGENTS_DIR: artifactsDir });
});
afterAll(() => {
  closeHosts({ kill: true });
  setTestEnv({ LOCAL_AGENTS_DIR: undefined });
  fs.rmSync(artifactsDir, { recursive: true, force: true });
});

describe("a start failure keeps its real reason (README.md, Security model)", () => {
  it("recognises a HostStartError thrown by another bundle's copy of the class", async () => {
    // Next bundles lib/runtime/types.ts once per bundle; a query string gives this test a second module instance.
    const other = "./types?bundle=other"; // a variable: TypeScript does not resolve the query string
    const copy = (await import(/* @vite-ignore */ other)) as typeof import("./types");
    const foreign = new copy.HostStartError("ECS could not place the task: RESOURCE:CPU", "TaskFailedToStart");
    expect(foreign instanceof HostStartError).toBe(false); // the trap: instanceof fails across copies
    expect(isHostStartError(foreign)).toBe(true);
    expect(startFailureOf(foreign)).toEqual({
      reason: "ECS could not place the task: RESOURCE:CPU",
      stopCode: "TaskFailedToStart",
    });
    // Anything else stays generic: an unexpected error's message may hold internals.
    expect(startFailureOf(new Error("connect ECONNREFUSED 10.0.0.1:5432"))).toEqual({
      reason: "The host could not start the agent",
      stopCode: null,
    });
    expect(startFailureOf({ name: "HostStartError", message: "not an Error" })).toMatchObject({
      reason: "The host could not start the agent",
    });
  });

  it("an artifact removed after registration fails the run with that reason, through the API", async () => {
    const made = await call(register, "/api/agents", {
      body: { name: "echo", runtime: { kind: "local", artifact: "env-echo" } },
    });
    expect(made.status).toBe(201);
    fs.rmSync(`${artifactsDir}/env-echo`, { recursive: true, force: true });
    const run = await call(runAgent, `/api/agents/${made.body.id}/run`, {
      key: made.body.api_key,
      params: { id: made.body.id },
      body: { input: {} },
    });
    expect(run.status).toBe(202);
    expect(run.body.status).toBe("failed");
    expect(run.body.stopped_reason).toMatch(
      /^The artifact env-echo is not installed on this host \(installed: .*text-stats/,
    );
  });
});
