import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { safeCallbackUrl } from "./redirect";

const APP = "https://market.example";

/** Where a browser on our site would go when told to navigate to `target`. */
const landsOn = (target: string) => new URL(target, `${APP}/signin`);

describe("safeCallbackUrl", () => {
  it("keeps same-site paths with their query and fragment", () => {
    for (const ok of ["/", "/jobs/1?x=2", "/settings#keys", "/agents/a%20b", "/search?q=%2F%2Fevil", "/a/b/"]) {
      expect(safeCallbackUrl(ok)).toBe(ok);
    }
  });

  it("refuses other origins, backslashes, control characters and their encodings", () => {
    const bad = [
      undefined,
      null,
      42,
      "",
      "evil",
      "https://evil.example",
      "http://market.example.evil.example/",
      "//evil.example/x",
      "///evil.example",
      "/\\evil.example",
      "\\/evil.example",
      "/%5Cevil.example",
      "/%5cevil.example",
      "/%255Cevil.example",
      "/%2F%2Fevil.example",
      "/%2f/evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "/%09/evil.example",
      "/%0A/evil.example",
      "/\u0000",
      "/\u007f",
      " //evil.example",
      "javascript:alert(1)",
      "data:text/html,hi",
      "/%E0%A4%A",
      "/" + "a".repeat(3000),
    ];
    for (const raw of bad) expect(safeCallbackUrl(raw), JSON.stringify(raw)).toBe("/");
  });

  it("accepts an absolute URL only on the given origin, reduced to its path", () => {
    expect(safeCallbackUrl(`${APP}/jobs/1?x=2`, APP)).toBe("/jobs/1?x=2");
    expect(safeCallbackUrl("https://evil.example/jobs", APP)).toBe("/");
    expect(safeCallbackUrl(`${APP}.evil.example/`, APP)).toBe("/");
    expect(safeCallbackUrl(`${APP}/%5Cevil.example`, APP)).toBe("/");
    expect(safeCallbackUrl(`${APP}//evil.example`, APP)).toBe("/");
    // Without an origin to compare with, only paths are accepted.
    expect(safeCallbackUrl(`${APP}/jobs/1`)).toBe("/");
  });

  it("whatever the input, the answer is a path that stays on this site (property)", () => {
    const tricky = fc.constantFrom("/", "\\", "%5C", "%5c", "%2F", "%25", "\t", "\n", "\r", "\u0000", "\u007f");
    const pieces = fc.oneof(
      fc.string(),
      tricky,
      fc.webSegment(),
      fc.constantFrom("https:", "evil.example", ":", "?", "#"),
    );
    const input = fc.oneof(
      fc.string(),
      fc.webUrl(),
      fc.array(pieces, { maxLength: 8 }).map((p) => p.join("")),
    );
    fc.assert(
      fc.property(input, fc.boolean(), (raw, withOrigin) => {
        const out = safeCallbackUrl(raw, withOrigin ? APP : undefined);
        expect(out.startsWith("/")).toBe(true);
        expect(out.startsWith("//")).toBe(false);
        expect(out).not.toMatch(/[\u0000-\u001f\u007f\\]/);
        expect(landsOn(out).origin).toBe(APP);
        // Decoding the path once more still names a path on this site.
        const path = out.split(/[?#]/, 1)[0]!;
        expect(decodeURIComponent(path).startsWith("//")).toBe(false);
        expect(decodeURIComponent(path)).not.toContain("\\");
        // Stable: a checked answer passes the check unchanged.
        expect(safeCallbackUrl(out)).toBe(out);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves ordinary paths unchanged (property)", () => {
    const path = fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { maxLength: 5 }).map((s) => `/${s.join("/")}`);
    fc.assert(
      fc.property(path, (p) => {
        expect(safeCallbackUrl(p)).toBe(p);
      }),
    );
  });
});
