import { createElement, Fragment } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { formatDateTime, needsSeconds } from "./format";
import { TimelineStep } from "./timeline";

describe("times: seconds where events are seconds apart", () => {
  it("say the minute, or the second when asked", () => {
    expect(formatDateTime("2026-12-03T07:21:51.400Z")).toBe("2026-12-03 07:21 UTC");
    expect(formatDateTime("2026-12-03T07:21:51.400Z", true)).toBe("2026-12-03 07:21:51 UTC");
  });

  it("need seconds only when two neighbouring times share a minute", () => {
    expect(needsSeconds([])).toBe(false);
    expect(needsSeconds(["2026-12-03T07:21:10Z"])).toBe(false);
    expect(needsSeconds(["2026-12-03T07:21:10Z", "2026-12-03T07:22:10Z", "2026-12-03T08:22:10Z"])).toBe(false);
    expect(needsSeconds(["2026-12-03T07:21:10Z", "2026-12-03T07:22:10Z", "2026-12-03T07:22:11Z"])).toBe(true);
  });

  it("show every step of a timeline to the second when asked, in a <time> with the exact instant", () => {
    const at = ["2026-12-03T07:21:10.100Z", "2026-12-03T07:21:12.300Z"];
    const seconds = needsSeconds(at);
    const html = renderToStaticMarkup(
      createElement(
        Fragment,
        null,
        ...at.map((a) => createElement(TimelineStep, { key: a, title: "step", at: a, seconds })),
      ),
    );
    expect(html).toContain('<time dateTime="2026-12-03T07:21:10.100Z">2026-12-03 07:21:10 UTC</time>');
    expect(html).toContain(">2026-12-03 07:21:12 UTC</time>");
  });
});
