import { describe, expect, it } from "vitest";
import { processSingleton } from "./process-singleton";

describe("processSingleton", () => {
  it("starts once, stops what it started, and starts again after a stop", async () => {
    const stopped: number[] = [];
    let made = 0;
    const one = processSingleton(
      "__singletonTest",
      async () => ++made,
      async (n) => void stopped.push(n),
    );
    const [a, b] = await Promise.all([one.start(), one.start()]);
    expect([a, b, made]).toEqual([1, 1, 1]);
    await one.stop();
    expect(stopped).toEqual([1]);
    expect(await one.start()).toBe(2);
    await one.stop();
    await one.stop();
    expect(stopped).toEqual([1, 2]);
  });

  it("forgets a start that failed, so the next start tries again", async () => {
    let calls = 0;
    const one = processSingleton("__singletonFailTest", async () => {
      calls++;
      if (calls === 1) throw new Error("first start fails");
      return "up";
    });
    await expect(one.start()).rejects.toThrow("first start fails");
    expect(await one.start()).toBe("up");
    expect(calls).toBe(2);
    await one.stop();
  });
});
