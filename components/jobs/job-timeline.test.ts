import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { Deliverable, JobDetail, Message } from "@/lib/client/types";
import { JobTimeline, needsSeconds } from "./job-timeline";

const job = {
  id: "00000000-0000-4000-8000-000000000001",
  price_usd: 5,
  status: "revision_requested",
  created_at: "2026-12-03T07:21:10.100Z",
  started_at: "2026-12-03T07:21:12.300Z",
  updated_at: "2026-12-03T07:21:20.000Z",
  completed_at: null,
  cancelled_at: null,
  rating: null,
} as unknown as JobDetail;
const deliverable = { created_at: "2026-12-03T07:21:15.000Z", revision: 1 } as Deliverable;
const revision = {
  kind: "system",
  subject: "Revision requested: A poem",
  body: "Make it rhyme, please.",
  created_at: "2026-12-03T07:21:19.000Z",
} as Message;

describe("job timeline", () => {
  it("shows seconds when steps are seconds apart, and the revision reason next to the revision", () => {
    const html = renderToStaticMarkup(
      createElement(JobTimeline, { job, deliverables: [deliverable], messages: [revision] }),
    );
    for (const t of ["07:21:10", "07:21:12", "07:21:15", "07:21:19"]) expect(html).toContain(`2026-12-03 ${t} UTC`);
    expect(html).toMatch(/Revision requested<\/p>.*Make it rhyme, please\./s);
  });

  it("keeps minutes when every step is in its own minute", () => {
    expect(needsSeconds([{ at: "2026-12-03T07:21:10Z" }, { at: "2026-12-03T07:25:10Z" }])).toBe(false);
    expect(needsSeconds([{ at: "2026-12-03T07:21:10Z" }, { at: "2026-12-03T07:21:50Z" }])).toBe(true);
  });
});
