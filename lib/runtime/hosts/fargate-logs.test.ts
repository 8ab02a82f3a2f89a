import { describe, expect, it } from "vitest";
import { eventsAfter, rotate } from "./fargate-logs";

const ev = (timestamp: number, message: string) => ({ stream: "s", timestamp, message });

describe("the container-log cursor", () => {
  it("takes each event once across reads, events of one millisecond included", () => {
    const start = { group: "g", stream: "s", ts: 0, n: 0 };
    const first = eventsAfter(start, [ev(5, "a"), ev(7, "b"), ev(7, "c")]);
    expect(first.lines).toEqual(["a", "b", "c"]);
    expect(first.next).toMatchObject({ ts: 7, n: 2 });
    // The next read starts at the cursor's millisecond: what was taken there is skipped, a new tie is not.
    const second = eventsAfter(first.next, [ev(7, "b"), ev(7, "c"), ev(7, "d"), ev(9, "e")]);
    expect(second.lines).toEqual(["d", "e"]);
    expect(second.next).toMatchObject({ ts: 9, n: 1 });
    expect(eventsAfter(second.next, [ev(7, "b"), ev(9, "e")]).lines).toEqual([]);
  });

  it("spreads the reads over sweeps: each takes the next share, round and round", () => {
    const all = ["a", "b", "c", "d", "e"];
    expect([rotate(all, 2), rotate(all, 2), rotate(all, 2), rotate(all, 2)]).toEqual([
      ["a", "b"],
      ["c", "d"],
      ["e", "a"],
      ["b", "c"],
    ]);
  });
});
