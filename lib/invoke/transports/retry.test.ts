import { describe, expect, it } from "vitest";
import { InvocationError } from "../errors";
import { DEFAULT_RETRY, retryDelays, withRetry } from "./retry";

describe("retry schedule", () => {
  it("is the seed's: 3 attempts, 1 s then 2 s", () => {
    expect(DEFAULT_RETRY).toEqual({ attempts: 3, initialDelayMs: 1000, multiplier: 2, maxDelayMs: 8000 });
    expect(retryDelays(DEFAULT_RETRY)).toEqual([1000, 2000]);
  });

  it("doubles up to the 8 s ceiling with more attempts", () => {
    expect(retryDelays({ ...DEFAULT_RETRY, attempts: 7 })).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });
});

describe("withRetry", () => {
  const recorder = () => {
    const waits: number[] = [];
    return { waits, sleep: async (ms: number) => void waits.push(ms) };
  };

  it("retries 503 and 504 with the schedule, then succeeds", async () => {
    const { waits, sleep } = recorder();
    let n = 0;
    const r = await withRetry(DEFAULT_RETRY, sleep, async () => {
      n++;
      if (n === 1) throw new InvocationError("ServiceUnavailableError", "x");
      if (n === 2) throw new InvocationError("TimeoutError", "x");
      return "ok";
    });
    expect(r).toEqual({ value: "ok", attempts: 3 });
    expect(waits).toEqual([1000, 2000]);
  });

  it("gives up after 3 attempts with the last error, its attempt count set", async () => {
    const { waits, sleep } = recorder();
    let n = 0;
    const err = await withRetry(DEFAULT_RETRY, sleep, async () => {
      n++;
      throw new InvocationError("ServiceUnavailableError", "x");
    }).catch((e: InvocationError) => e);
    expect(n).toBe(3);
    expect(err).toBeInstanceOf(InvocationError);
    expect((err as InvocationError).attempts).toBe(3);
    expect(waits).toEqual([1000, 2000]);
  });

  it.each(["ValidationError", "AuthenticationError", "AuthorizationError", "NotFoundError", "InternalError"] as const)(
    "never retries %s",
    async (kind) => {
      const { waits, sleep } = recorder();
      let n = 0;
      await expect(
        withRetry(DEFAULT_RETRY, sleep, async () => {
          n++;
          throw new InvocationError(kind, "x");
        }),
      ).rejects.toMatchObject({ name: kind });
      expect(n).toBe(1);
      expect(waits).toEqual([]);
    },
  );

  it("lets the caller veto a retry (the deadline)", async () => {
    const { sleep } = recorder();
    let n = 0;
    await expect(
      withRetry(
        DEFAULT_RETRY,
        sleep,
        async () => {
          n++;
          throw new InvocationError("TimeoutError", "x");
        },
        () => false,
      ),
    ).rejects.toMatchObject({ name: "TimeoutError" });
    expect(n).toBe(1);
  });
});
