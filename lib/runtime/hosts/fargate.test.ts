import { describe, expect, it } from "vitest";
import type { Task } from "@aws-sdk/client-ecs";
import { endpointOf, observeTask } from "./fargate";

const eni = (ip: string) => [{ type: "ElasticNetworkInterface", details: [{ name: "privateIPv4Address", value: ip }] }];

describe("ECS task -> execution status", () => {
  it("maps the lifecycle statuses", () => {
    expect(observeTask({ lastStatus: "PROVISIONING" })).toEqual({ status: "starting" });
    expect(observeTask({ lastStatus: "PENDING" })).toEqual({ status: "starting" });
    expect(observeTask({ lastStatus: "RUNNING", attachments: eni("10.0.3.17") })).toEqual({
      status: "running",
      endpoint: "http://10.0.3.17:8080",
    });
    // Winding down: wait for STOPPED and its exit code.
    expect(observeTask({ lastStatus: "DEACTIVATING" })).toBeNull();
    expect(observeTask({ lastStatus: "STOPPING" })).toBeNull();
  });

  it("maps STOPPED by stop code and exit code, keeping the reason", () => {
    const stopped = (stopCode: string, exitCode?: number, stoppedReason = "why"): Task => ({
      lastStatus: "STOPPED",
      stopCode: stopCode as Task["stopCode"],
      stoppedReason,
      containers: [{ name: "agent", exitCode }],
    });
    expect(observeTask(stopped("EssentialContainerExited", 0), "agent")).toMatchObject({
      status: "completed",
      exitCode: 0,
    });
    expect(observeTask(stopped("EssentialContainerExited", 3), "agent")).toMatchObject({
      status: "failed",
      exitCode: 3,
      stopCode: "EssentialContainerExited",
      stoppedReason: "why",
    });
    expect(observeTask(stopped("TaskFailedToStart", undefined, "CannotPullContainerError"))).toMatchObject({
      status: "failed",
      exitCode: null,
      stoppedReason: "CannotPullContainerError",
    });
    expect(observeTask(stopped("UserInitiated", 143))).toMatchObject({ status: "stopped", exitCode: 143 });
    expect(observeTask(stopped("SpotInterruption"))).toMatchObject({ status: "stopped" });
  });

  it("takes the endpoint from the ENI, else the container's interface; a host port binding wins over 8080", () => {
    expect(endpointOf({ containers: [{ networkInterfaces: [{ privateIpv4Address: "10.1.1.1" }] }] })).toBe(
      "http://10.1.1.1:8080",
    );
    expect(
      endpointOf(
        {
          attachments: eni("127.0.0.1"),
          containers: [{ name: "agent", networkBindings: [{ containerPort: 8080, hostPort: 40123 }] }],
        },
        "agent",
      ),
    ).toBe("http://127.0.0.1:40123");
    expect(endpointOf({ containers: [{}] })).toBeNull();
  });
});
