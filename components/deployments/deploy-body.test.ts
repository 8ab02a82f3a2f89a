import { describe, expect, it } from "vitest";
import { deployBody, isArchive, nextVersion, updateBody } from "./deploy-body";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("deployBody", () => {
  it("sends the form as the deploy API's body, percentages as fractions", () => {
    const body = deployBody(
      { id: "a1", name: "Renderer" },
      { kind: "upload", fileName: "bundle.zip", base64: "UEsDBA==", entrypoint: "src/server.mjs" },
      form({
        version: " 1.2.0 ",
        description: "Faster",
        environment: "staging",
        memory_limit: "256",
        timeout: "20",
        concurrent_executions: "",
        auto_scaling: "on",
        min_instances: "2",
        max_instances: "5",
        target_utilization: "60",
        health_check: "on",
        health_path: "/ping",
        health_interval: "15",
        log_level: "WARN",
      }),
    );
    expect(body).toEqual({
      agent_metadata: { agent_id: "a1", name: "Renderer", version: "1.2.0", description: "Faster" },
      // An empty number is left out: the API's default applies.
      agent_code: {
        source_code: "UEsDBA==",
        entrypoint: "src/server.mjs",
        configuration: { memory_limit: 256, timeout: 20 },
      },
      deployment_config: {
        environment: "staging",
        auto_scaling: { enabled: true, min_instances: 2, max_instances: 5, target_utilization: 0.6 },
      },
      monitoring: { health_check: { enabled: true, path: "/ping", interval: 15 }, metrics: { log_level: "WARN" } },
    });
  });

  it("turns off what is unchecked and names an installed artifact", () => {
    const body = deployBody(
      { id: "a1", name: "R" },
      { kind: "artifact", artifact: "markdown" },
      form({ version: "1.0.0", environment: "prod" }),
    );
    expect(body.agent_code).toEqual({ artifact: "markdown", configuration: {} });
    expect(body.deployment_config).toEqual({ environment: "prod", auto_scaling: { enabled: false } });
    expect(body.monitoring).toEqual({ health_check: { enabled: false }, metrics: { log_level: "INFO" } });
  });
});

describe("updateBody", () => {
  it("sends the canary's trial and the rollback limits for a canary", () => {
    const { version, body } = updateBody(
      { kind: "artifact", artifact: "markdown" },
      form({
        version: "1.1.0",
        environment: "prod",
        strategy: "canary",
        traffic_percentage: "25",
        duration: "15",
        error_rate_threshold: "2.5",
        latency_threshold: "800",
        auto_rollback: "on",
        rollback_error_rate: "10",
        rollback_timeout_rate: "5",
        rollback_health_failures: "4",
        memory_limit: "256",
      }),
    );
    expect(version).toBe("1.1.0");
    expect(body).toEqual({
      deployment_strategy: "canary",
      deployment_config: { environment: "prod" },
      canary_config: {
        traffic_percentage: 25,
        duration: 15,
        success_criteria: { error_rate_threshold: 0.025, latency_threshold: 800 },
      },
      rollback_config: {
        auto_rollback: true,
        rollback_triggers: { error_rate: 0.1, timeout_rate: 0.05, health_check_failures: 4 },
      },
      agent_code: { artifact: "markdown", configuration: { memory_limit: 256 } },
    });
  });

  it("leaves out the canary for other strategies and the code for an existing version", () => {
    const { body } = updateBody(
      null,
      form({ version: "1.0.0", environment: "prod", strategy: "blue_green", traffic_percentage: "25" }),
    );
    expect(body).toEqual({
      deployment_strategy: "blue_green",
      deployment_config: { environment: "prod" },
      rollback_config: { auto_rollback: false, rollback_triggers: {} },
    });
  });
});

describe("nextVersion / isArchive", () => {
  it("suggests the next patch, or 1.0.0 first", () => {
    expect(nextVersion(undefined)).toBe("1.0.0");
    expect(nextVersion("1.2.9")).toBe("1.2.10");
    expect(nextVersion("2.0.0-beta.1")).toBe("2.0.1");
    expect(nextVersion("latest")).toBe("1.0.0");
  });

  it("tells archives from single files", () => {
    expect(["a.zip", "a.tar.gz", "a.TGZ", "a.mjs", "a.py", "zip.js"].map(isArchive)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
