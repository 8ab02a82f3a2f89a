import { describe, expect, it } from "vitest";
import { processSingleton } from "./process-singleton";

/** A service numbered in the order it was made, that records its stop. */
const service = (n: number, stopped: number[]) => ({ n, stop: async () => void stopped.push(n) });

describe("processSingleton", () => {
  it("starts once, stops what it started, and starts again after a stop", async () => {
    const stopped: number[] = [];
    let made = 0;
    const one = processSingleton("__singletonTest", async () => service(++made, stopped));
    const [a, b] = await Promise.all([one.start(), one.start()]);
    expect([a.n, b.n, made]).toEqual([1, 1, 1]);
    await one.stop();
    expect(stopped).toEqual([1]);
    expect((await one.start()).n).toBe(2);
    await one.stop();
    await one.stop();
    expect(stopped).toEqual([1, 2]);
  });

  it("forgets a start that failed, so the next start tries again", async () => {
    const stopped: number[] = [];
    let calls = 0;
    const one = processSingleton("__singletonFailTest", async () => {
      calls++;
      if (calls === 1) throw new Error("first start fails");
      return service(calls, stopped);
    });
    await expect(one.start()).rejects.toThrow("first start fails");
    expect((await one.start()).n).toBe(2);
    await one.stop();
    expect(stopped).toEqual([2]);
  });
});
