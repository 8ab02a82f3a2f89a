import { describe, expect, it } from "vitest";
import { ListCache } from "./list-cache";

describe("ListCache", () => {
  it("serves one load per key and version, reloads when the version moves", async () => {
    const cache = new ListCache<number>();
    const db = {};
    let loads = 0;
    const load = async () => ++loads;
    const [a, b] = await Promise.all([cache.get(db, "k", 1, load), cache.get(db, "k", 1, load)]);
    expect([a, b, loads]).toEqual([1, 1, 1]);
    expect(await cache.get(db, "k", 2, load)).toBe(2);
    expect(await cache.get(db, "other", 2, load)).toBe(3);
    expect(await cache.get({}, "k", 2, load)).toBe(4);
  });

  it("forgets failed loads and keeps at most maxEntries keys", async () => {
    const cache = new ListCache<string>(2);
    const db = {};
    await expect(cache.get(db, "k", 1, () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(await cache.get(db, "k", 1, async () => "ok")).toBe("ok");
    await cache.get(db, "x", 1, async () => "x");
    await cache.get(db, "y", 1, async () => "y");
    expect(await cache.get(db, "k", 1, async () => "reloaded")).toBe("reloaded");
  });
});
