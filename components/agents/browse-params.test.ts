import { describe, expect, it } from "vitest";
import { browseHref, browsePages, parseBrowse, priceSwapped } from "./browse-params";

const params = (qs: string) => parseBrowse(Object.fromEntries(new URLSearchParams(qs)));

describe("browse paging", () => {
  it("walks forwards and back through keyset pages, keeping the filters", () => {
    const first = params("q=poem&runnable=true");
    const p1 = browsePages(first, "c2");
    expect(p1).toMatchObject({ page: 1, prev: null });
    const second = params(p1.next!.slice(2));
    expect(second).toMatchObject({ q: "poem", runnable: "true", cursor: "c2", back: [] });
    const p2 = browsePages(second, "c3");
    expect(p2.page).toBe(2);
    const third = params(p2.next!.slice(2));
    expect(third).toMatchObject({ cursor: "c3", back: ["c2"] });
    const p3 = browsePages(third, null);
    expect(p3).toMatchObject({ page: 3, next: null });
    // Back from page 3 is page 2 (cursor c2), and back from there the first page.
    const back2 = params(p3.prev!.slice(2));
    expect(back2).toMatchObject({ cursor: "c2", back: [], q: "poem", runnable: "true" });
    expect(browsePages(back2, "c3").prev).toBe("/?q=poem&runnable=true");
  });

  it("drops forged cursors from the trail and leaves the default view out of the URL", () => {
    expect(params("back=ok1.%3Cscript%3E.ok2").back).toEqual(["ok1", "ok2"]);
    expect(browseHref({ view: "agents", q: "" })).toBe("/");
    expect(browseHref({ view: "services", q: "x" })).toBe("/?view=services&q=x");
  });
});

describe("price range", () => {
  it("is swapped only when both are numbers and min is above max", () => {
    expect(priceSwapped({ min_price: "50", max_price: "10" })).toBe(true);
    expect(priceSwapped({ min_price: "10", max_price: "50" })).toBe(false);
    expect(priceSwapped({ min_price: "10", max_price: "" })).toBe(false);
    expect(priceSwapped({ min_price: "abc", max_price: "1" })).toBe(false);
  });
});
