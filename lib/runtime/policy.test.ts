import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { listArtifacts, readArtifact, resolveArtifact } from "./artifacts";
import { localRuntimeSchema } from "./config";
import { CONTRACT_ENV_NAMES, refusalOf } from "./env-policy";
import { runtimeArnAllowed } from "./operator";
import { setTestEnv } from "@/test/fixtures/runtime";

const dirs: string[] = [];
function artifactDir(name: string, manifest: unknown, files: Record<string, string> = { "main.mjs": "" }): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "agent-market-policy-"));
  dirs.push(root);
  const dir = path.join(root, name);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "agent.json"), typeof manifest === "string" ? manifest : JSON.stringify(manifest));
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), text);
  return dir;
}

afterEach(() => {
  setTestEnv({
    LOCAL_AGENTS_DIR: undefined,
    AGENTCORE_ALLOWED_RUNTIME_ARNS: undefined,
    ONBOARDING_AGENT_ARN: undefined,
  });
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const ok = { name: "good", description: "", entrypoint: "main.mjs", runtime: "node" };

describe("artifact manifests", () => {
  it("the demo agents are installed artifacts with their entrypoint; agents/lib is not one", () => {
    const all = listArtifacts();
    expect([...all.keys()].sort()).toEqual(["json-csv", "markdown", "sentiment", "text-stats"]);
    expect(resolveArtifact("text-stats")?.entrypoint).toBe(path.resolve("agents/text-stats/server.mjs"));
    expect(resolveArtifact("lib")).toBeNull();
    expect(resolveArtifact("../agents/text-stats")).toBeNull();
  });

  it("refuses manifests whose entrypoint leaves the folder, is missing, or that carry more than they may", () => {
    expect(readArtifact(artifactDir("good", ok), "operator")).toMatchObject({ artifact: { name: "good" } });
    const outside = path.join(os.tmpdir(), "x.mjs");
    for (const [name, manifest] of [
      ["good", { ...ok, entrypoint: "../../etc/passwd" }],
      ["good", { ...ok, entrypoint: outside }],
      ["good", { ...ok, entrypoint: "missing.mjs" }],
      ["good", { ...ok, runtime: "python" }],
      ["good", { ...ok, args: ["--inspect"] }],
      ["good", { ...ok, env: { NODE_OPTIONS: "--inspect" } }],
      ["other", ok], // the name must be its folder's
      ["good", "{ not json"],
    ] as const) {
      expect(readArtifact(artifactDir(name, manifest), "operator"), JSON.stringify(manifest)).toHaveProperty("error");
    }
    const dir = artifactDir("good", { ...ok, entrypoint: "link.mjs" }, {});
    fs.symlinkSync("/etc/hostname", path.join(dir, "link.mjs"));
    expect(readArtifact(dir, "operator")).toHaveProperty("error");
  });

  it("LOCAL_AGENTS_DIR adds the operator's artifacts, never shadowing a built-in one", () => {
    const dir = artifactDir("good", ok);
    const root = path.dirname(dir);
    fs.mkdirSync(path.join(root, "text-stats"));
    fs.writeFileSync(path.join(root, "text-stats", "agent.json"), JSON.stringify({ ...ok, name: "text-stats" }));
    fs.writeFileSync(path.join(root, "text-stats", "main.mjs"), "");
    setTestEnv({ LOCAL_AGENTS_DIR: root });
    expect(resolveArtifact("good")?.source).toBe("operator");
    expect(resolveArtifact("text-stats")?.source).toBe("builtin");
    expect(localRuntimeSchema.safeParse({ kind: "local", artifact: "good", command: ["sh"] }).success).toBe(false);
  });
});

describe("owner variables", () => {
  it("allows plain upper-case names and refuses loader, interpreter, shell and contract names", () => {
    for (const name of ["API_TOKEN", "OPENAI_API_KEY", "EXIT_AFTER_INVOCATIONS", "X"])
      expect(refusalOf(name), name).toBeNull();
    for (const name of [
      "NODE_OPTIONS",
      "NODE_ANYTHING",
      "LD_PRELOAD",
      "LD_AUDIT",
      "DYLD_INSERT_LIBRARIES",
      "PATH",
      "PYTHONPATH",
      "PERL5LIB",
      "RUBYLIB",
      "JAVA_TOOL_OPTIONS",
      "_JAVA_OPTIONS",
      "BASH_ENV",
      "ENV",
      "HOME",
      "SHELL",
      "IFS",
      "TMPDIR",
      "GCONV_PATH",
      "MALLOC_ARENA_MAX",
      "GLIBC_TUNABLES",
      "OPENSSL_CONF",
      "SSL_CERT_DIR",
      ...CONTRACT_ENV_NAMES,
      "AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "lower_case",
      "1ABC",
      "A".repeat(65),
    ]) {
      expect(refusalOf(name), name).not.toBeNull();
    }
  });
});

describe("AgentCore allow-list", () => {
  const arn = (region: string, account: string, name: string) =>
    `arn:aws:bedrock-agentcore:${region}:${account}:runtime/${name}`;

  it("matches by region (or *), exact account and name prefix; nothing is allowed by default", () => {
    expect(runtimeArnAllowed(arn("us-east-1", "123456789012", "acme-bot"))).toBe(false);
    setTestEnv({
      AGENTCORE_ALLOWED_RUNTIME_ARNS:
        "arn:aws:bedrock-agentcore:*:123456789012:runtime/acme-*, arn:aws:bedrock-agentcore:eu-west-1:210987654321:runtime/Exact_1, garbage, arn:aws:bedrock-agentcore:*:*:runtime/*",
    });
    expect(runtimeArnAllowed(arn("us-east-1", "123456789012", "acme-bot"))).toBe(true);
    expect(runtimeArnAllowed(arn("eu-west-1", "123456789012", "acme-"))).toBe(true);
    expect(runtimeArnAllowed(arn("us-east-1", "123456789012", "other-bot"))).toBe(false);
    expect(runtimeArnAllowed(arn("us-east-1", "999999999999", "acme-bot"))).toBe(false);
    expect(runtimeArnAllowed(arn("eu-west-1", "210987654321", "Exact_1"))).toBe(true);
    expect(runtimeArnAllowed(arn("eu-west-1", "210987654321", "Exact_10"))).toBe(false);
    expect(runtimeArnAllowed(arn("us-east-1", "210987654321", "Exact_1"))).toBe(false);
  });

  it("the configured agents' ARNs are allowed as such", () => {
    const configured = arn("us-east-1", "555555555555", "OnboardingAgent_Agent-x");
    expect(runtimeArnAllowed(configured)).toBe(false);
    setTestEnv({ ONBOARDING_AGENT_ARN: configured });
    expect(runtimeArnAllowed(configured)).toBe(true);
  });
});
