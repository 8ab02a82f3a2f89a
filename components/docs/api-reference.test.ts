import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";
import { AreaReference } from "./api-reference";
import { DocsShell } from "./docs-shell";
import { groupByTag, searchItems, type OpenApiDoc } from "./model";
import { Overview } from "./overview";

describe("API reference pages", () => {
  const doc = openApiDocument() as unknown as OpenApiDoc;
  const groups = groupByTag(doc);
  const areaHtml = (tag: string) =>
    renderToStaticMarkup(
      createElement(
        DocsShell,
        { doc, current: tag },
        createElement(AreaReference, { doc, tag, ops: groups.find(([t]) => t === tag)![1] }),
      ),
    );
  const overview = renderToStaticMarkup(
    createElement(DocsShell, { doc, current: null }, createElement(Overview, { doc })),
  );

  it("puts every operation on its area's page at its own anchor, listed in that page's sidebar", () => {
    const total = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
    expect(groups.flatMap(([, ops]) => ops)).toHaveLength(total);
    for (const [tag, ops] of groups) {
      const html = areaHtml(tag);
      for (const op of ops) {
        expect(html).toContain(`id="${op.operationId}"`);
        expect(html).toContain(`href="#${op.operationId}"`);
        expect(html).toContain(op.path.replace(/&/g, "&amp;"));
      }
      // Each area is a page of its own, linked from every sidebar.
      expect(overview).toContain(`href="/docs/${tag}"`);
    }
    expect(searchItems(doc)).toHaveLength(total);
  });

  it("opens with authentication, then the error format, then the areas", () => {
    const auth = overview.indexOf('id="authentication"');
    const errors = overview.indexOf('id="errors"');
    const areas = overview.indexOf('id="areas"');
    expect(auth).toBeGreaterThan(-1);
    expect(auth).toBeLessThan(errors);
    expect(errors).toBeLessThan(areas);
    expect(overview).toContain("X-Agent-Key");
    expect(overview).toContain("ValidationError");
  });

  it("shows parameters, response fields, examples and errors of the event stream, stats and invoke", () => {
    const events = areaHtml("events");
    expect(events).toContain("last_event_id (query)");
    expect(events).toContain("text/event-stream");
    const stats = areaHtml("stats");
    expect(stats.slice(stats.indexOf('id="getStats"'))).toContain("jobs_over_time[].created");
    expect(stats).toContain("Our fault (InternalError)");
    const invoke = areaHtml("invoke");
    expect(invoke).toContain("curl");
    expect(invoke).toContain("fetch (JavaScript)");
    expect(invoke).toContain("Response 200");
  });

  it("uses the theme's colours (no fixed light palette) and loads nothing from another origin", () => {
    for (const html of [overview, areaHtml("jobs")]) {
      expect(html).not.toMatch(/\b(text|bg|border)-(slate|gray|indigo)-\d/);
      expect(html).not.toMatch(/(src|href)="https?:\/\//i);
      expect(html).not.toMatch(/<script/i);
    }
  });
});
