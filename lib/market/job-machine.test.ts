import { describe, expect, it } from "vitest";
import {
  availableActions,
  CAN_HIRE_CHILDREN_IN,
  isOpen,
  JOB_ACTIONS,
  JOB_STATUSES,
  nextStatus,
  TRANSITIONS,
  type JobAction,
  type JobStatus,
} from "./job-machine";
import { checkInputs, jsonTypeOf } from "./job-inputs";

// The whole table, written out by hand: [from, action] -> to (absent = illegal).
const LEGAL: Record<string, JobStatus> = {
  "pending start": "in_progress",
  "pending cancel": "cancelled",
  "in_progress deliver": "delivered",
  "revision_requested deliver": "delivered",
  "delivered request-revision": "revision_requested",
  "delivered complete": "completed",
};

describe("job state machine", () => {
  it.each(JOB_STATUSES.flatMap((s) => JOB_ACTIONS.map((a) => [s, a] as [JobStatus, JobAction])))(
    "%s --%s-->",
    (status, action) => {
      expect(nextStatus(status, action)).toBe(LEGAL[`${status} ${action}`] ?? null);
    },
  );

  it("gives each action to exactly one role", () => {
    expect(Object.fromEntries(JOB_ACTIONS.map((a) => [a, TRANSITIONS[a].role]))).toEqual({
      start: "worker",
      deliver: "worker",
      "request-revision": "client",
      complete: "client",
      cancel: "client",
    });
  });

  it("lists the actions a role may take now", () => {
    expect(availableActions("pending", ["client"])).toEqual(["cancel"]);
    expect(availableActions("pending", ["worker"])).toEqual(["start"]);
    expect(availableActions("pending", ["client", "worker"])).toEqual(["start", "cancel"]);
    expect(availableActions("delivered", ["client"])).toEqual(["request-revision", "complete"]);
    expect(availableActions("delivered", ["worker"])).toEqual([]);
    expect(availableActions("revision_requested", ["worker"])).toEqual(["deliver"]);
    for (const terminal of ["completed", "cancelled", "failed"] as const) {
      expect(availableActions(terminal, ["client", "worker"])).toEqual([]);
      expect(isOpen(terminal)).toBe(false);
    }
  });

  it("never leads back to pending, so a job with children (never pending) cannot be cancelled", () => {
    for (const a of JOB_ACTIONS) expect(TRANSITIONS[a].to).not.toBe("pending");
    expect(CAN_HIRE_CHILDREN_IN).not.toContain("pending");
    expect(TRANSITIONS.cancel.from).toEqual(["pending"]);
  });

  it("has no transition into failed (only the platform fails a job)", () => {
    for (const a of JOB_ACTIONS) expect(TRANSITIONS[a].to).not.toBe("failed");
  });
});

describe("required inputs", () => {
  const required = [
    { name: "text", type: "string" as const },
    { name: "n", type: "number" as const },
    { name: "flag", type: "boolean" as const },
    { name: "obj", type: "object" as const },
    { name: "list", type: "array" as const },
  ];

  it("accepts every input with the right JSON type, and extra keys", () => {
    expect(checkInputs(required, { text: "", n: 0, flag: false, obj: {}, list: [], extra: 1 })).toBeNull();
  });

  it("names every missing or mistyped field", () => {
    expect(checkInputs(required, { text: 1, n: "1", obj: [], list: {} })).toEqual({
      "input_data.text": "expected string, got number",
      "input_data.n": "expected number, got string",
      "input_data.flag": "required boolean input is missing",
      "input_data.obj": "expected object, got array",
      "input_data.list": "expected array, got object",
    });
    expect(checkInputs([{ name: "o", type: "object" }], { o: null })).toEqual({
      "input_data.o": "expected object, got null",
    });
  });

  it("classifies JSON values", () => {
    expect([null, [], {}, "", 1, true].map(jsonTypeOf)).toEqual([
      "null",
      "array",
      "object",
      "string",
      "number",
      "boolean",
    ]);
  });
});
