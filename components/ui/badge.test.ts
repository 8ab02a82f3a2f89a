import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { JOB_STATUSES } from "@/lib/market/job-machine";
import { StatusBadge } from "./badge";

const toneOf = (status: string) =>
  /data-tone="([a-z]+)"/.exec(renderToStaticMarkup(createElement(StatusBadge, { status })))?.[1];

describe("status badges", () => {
  it("give every job status its own tone (delivered no longer looks like in progress)", () => {
    const tones = JOB_STATUSES.map(toneOf);
    expect(tones.every(Boolean)).toBe(true);
    expect(new Set(tones).size).toBe(JOB_STATUSES.length);
    expect(toneOf("delivered")).not.toBe(toneOf("in_progress"));
  });

  it("darken the text in light mode and keep the theme colour in dark mode", () => {
    const html = renderToStaticMarkup(createElement(StatusBadge, { status: "completed" }));
    expect(html).toContain("text-green-800");
    expect(html).toContain("dark:text-ok");
  });
});
