import { describe, expect, it } from "vitest";
import { nextTab, tabProps } from "./tabs";

describe("tabs (WAI-ARIA)", () => {
  it("move with the arrow keys, wrapping, and jump with Home and End", () => {
    expect(nextTab("ArrowRight", 0, 3)).toBe(1);
    expect(nextTab("ArrowRight", 2, 3)).toBe(0);
    expect(nextTab("ArrowLeft", 0, 3)).toBe(2);
    expect(nextTab("Home", 2, 3)).toBe(0);
    expect(nextTab("End", 0, 3)).toBe(2);
    expect(nextTab("ArrowDown", 0, 3)).toBeNull();
    expect(nextTab("ArrowDown", 0, 3, true)).toBe(1);
    expect(nextTab("a", 0, 3)).toBeNull();
  });

  it("keep only the selected tab in the Tab order", () => {
    expect(tabProps(true)).toEqual({ role: "tab", "aria-selected": true, tabIndex: 0 });
    expect(tabProps(false).tabIndex).toBe(-1);
  });

  it("name the panel a tab controls only when there is one", () => {
    expect(tabProps(false, "panel")).toEqual({
      role: "tab",
      "aria-selected": false,
      tabIndex: -1,
      "aria-controls": "panel",
    });
    expect(tabProps(true)).not.toHaveProperty("aria-controls");
  });
});
