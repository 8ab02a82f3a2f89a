import { describe, expect, it } from "vitest";
import type { Deployment } from "@/lib/client/types";
import { canaryTraffic } from "@/test/fixtures/deploy";
import { allowedActions } from "./allowed-actions";

const base = {
  status: "deploying",
  strategy: "canary",
  version: "1.1.0",
  previous_version: "1.0.0",
  traffic: canaryTraffic(10),
} as Deployment;

describe("allowedActions", () => {
  it("lets a canary in progress be promoted, rolled back or aborted", () => {
    expect(allowedActions(base)).toEqual({ promote: true, rollback: true, abort: true });
  });

  it("promotes only canaries", () => {
    expect(allowedActions({ ...base, strategy: "blue_green" })).toEqual({
      promote: false,
      rollback: true,
      abort: true,
    });
  });

  it("rolls back the live deployment only when there is a version before it", () => {
    const live = { ...base, status: "deployed", traffic: [{ version: "1.1.0", weight: 100 }] } as Deployment;
    expect(allowedActions(live)).toEqual({ promote: false, rollback: true, abort: false });
    expect(allowedActions({ ...live, previous_version: null }).rollback).toBe(false);
    // Superseded by a later rollout: no longer serving, nothing to do.
    expect(allowedActions({ ...live, traffic: [{ version: "1.2.0", weight: 100 }] }).rollback).toBe(false);
  });

  it("allows nothing once a deployment has ended", () => {
    for (const status of ["failed", "rolled_back", "aborted", "superseded"] as const) {
      expect(allowedActions({ ...base, status })).toEqual({ promote: false, rollback: false, abort: false });
    }
  });
});
