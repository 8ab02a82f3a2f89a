import { expect, type Page } from "@playwright/test";

/**
 * Review pictures of a page: light and dark at desktop width, and light at phone width (git-ignored, under
 * e2e/screenshots/). The theme is switched the way the header's toggle does it (the `dark` class on <html>).
 */
export async function themedScreens(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  for (const theme of ["light", "dark"] as const) {
    await page.evaluate((dark) => document.documentElement.classList.toggle("dark", dark), theme === "dark");
    await page.screenshot({ path: `e2e/screenshots/${name}-${theme}.png`, fullPage });
  }
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `e2e/screenshots/${name}-phone.png`, fullPage });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await page.screenshot({ path: `e2e/screenshots/${name}-phone-dark.png`, fullPage });
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await page.setViewportSize(size);
}

/** Collects console errors and uncaught page errors; `expectNone()` at the end of a journey. */
export function watchConsole(page: Page): { expectNone: () => void } {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return { expectNone: () => expect(errors, "console errors").toEqual([]) };
}

/**
 * Text elements under `root` whose colour against their effective background is below `min` (WCAG contrast
 * ratio), as "tag 'text' ratio" lines; an empty list when all pass.
 */
export async function contrastFailures(page: Page, root: string, min = 4.5): Promise<string[]> {
  return page.evaluate(
    ({ root, min }) => {
      const parse = (c: string) => {
        const m = c.match(/rgba?\(([^)]+)\)/);
        if (!m) return null;
        const [r, g, b, a = 1] = m[1]!
          .split(/[,\s/]+/)
          .filter(Boolean)
          .map(Number);
        return { r: r!, g: g!, b: b!, a };
      };
      const lum = ({ r, g, b }: { r: number; g: number; b: number }) => {
        const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const background = (el: Element | null): { r: number; g: number; b: number } => {
        for (let e = el; e; e = e.parentElement) {
          const c = parse(getComputedStyle(e).backgroundColor);
          if (c && c.a > 0.5) return c;
        }
        return parse(getComputedStyle(document.body).backgroundColor) ?? { r: 255, g: 255, b: 255 };
      };
      const out: string[] = [];
      const all = document.querySelectorAll(
        `${root} h1, ${root} h2, ${root} h3, ${root} h4, ${root} p, ${root} a, ${root} code, ${root} td, ${root} th, ${root} summary, ${root} li, ${root} span`,
      );
      for (const el of all) {
        const text = [...el.childNodes]
          .filter((n) => n.nodeType === 3)
          .map((n) => n.textContent ?? "")
          .join("")
          .trim();
        if (!text || !(el as HTMLElement).offsetParent) continue;
        const fg = parse(getComputedStyle(el).color);
        if (!fg) continue;
        const [hi, lo] = [lum(fg), lum(background(el))].sort((a, b) => b - a);
        const ratio = (hi! + 0.05) / (lo! + 0.05);
        if (ratio < min) out.push(`${el.tagName.toLowerCase()} '${text.slice(0, 30)}' ${ratio.toFixed(2)}`);
      }
      return out;
    },
    { root, min },
  );
}
