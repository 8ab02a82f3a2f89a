import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { ApiReference, groupByTag, type OpenApiDoc } from "./api-reference";

describe("API reference page", () => {
  const doc = openApiDocument() as unknown as OpenApiDoc;
  const html = renderToStaticMarkup(createElement(ApiReference, { doc }));

  it("renders every operation with an anchor, its method and path, and links to it from the contents", () => {
    const ops = groupByTag(doc).flatMap(([, list]) => list);
    expect(ops.length).toBe(Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0));
    for (const op of ops) {
      expect(html).toContain(`id="${op.operationId}"`);
      expect(html).toContain(`href="#${op.operationId}"`);
      expect(html).toContain(op.path.replace(/&/g, "&amp;"));
    }
  });

  it("shows parameters, response fields and errors of the event stream and stats", () => {
    const events = html.slice(html.indexOf('id="getEvents"'));
    expect(events).toContain("last_event_id (query)");
    expect(events).toContain("text/event-stream");
    const stats = html.slice(html.indexOf('id="getStats"'));
    expect(stats).toContain("jobs_over_time[].created");
    expect(stats).toContain("Our fault (InternalError)");
  });

  it("is self-contained: no script and nothing loaded from another origin", () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="https?:\/\//i);
  });
});
