import { test as base, expect, type BrowserContext, type Locator, type Page } from "@playwright/test";

/*
 * What every journey shares (README.md, Tests): a console guard that fails a test on any console error or
 * uncaught page exception of any page it opens, save the ones the test provokes on purpose and names with
 * `allowErrors`; pictures of a page in both themes and at phone width; a contrast check; and checks of times
 * and of forms.
 *
 * Specs import `test` and `expect` from here instead of from @playwright/test.
 */

/** The browser's line for a 4xx answer: expected only where a journey provokes a refusal on purpose. */
export const REFUSAL = /Failed to load resource: the server responded with a status of 4\d\d/;

interface Guard {
  /** Console errors matching any of `patterns` (text, then a space, then the script's URL) do not fail the test. */
  allowErrors: (...patterns: RegExp[]) => void;
}

/**
 * Every context is watched: the default `context` (and so `page`) and every `browser.newContext()`, including the
 * ones the helpers in e2e/helpers.ts and `beforeAll` hooks make (the browser is patched once per worker). A test
 * fails at its end on any error not allowed that arrived since the previous test ended.
 */
interface Watcher {
  errors: string[];
  watch: (context: BrowserContext) => void;
}

export const test = base.extend<Guard, { consoleGuard: Watcher }>({
  consoleGuard: [
    async ({ browser }, use) => {
      const errors: string[] = [];
      const watched = new WeakSet<BrowserContext>();
      const watch = (context: BrowserContext) => {
        if (watched.has(context)) return;
        watched.add(context);
        context.on("console", (m) => {
          if (m.type() === "error") errors.push(`${m.text()} ${m.location().url}`);
        });
        context.on("weberror", (e) => errors.push(`uncaught: ${e.error().message}`));
      };
      const newContext = browser.newContext;
      browser.newContext = async (...args) => {
        const context = await newContext.apply(browser, args);
        watch(context);
        return context;
      };
      await use({ errors, watch });
      browser.newContext = newContext;
    },
    { scope: "worker", auto: true },
  ],
  allowErrors: [
    async ({ consoleGuard }, use) => {
      const allowed: RegExp[] = [];
      await use((...patterns) => allowed.push(...patterns));
      const unexpected = consoleGuard.errors.splice(0).filter((e) => !allowed.some((a) => a.test(e)));
      expect(unexpected, "console errors and uncaught exceptions").toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context, consoleGuard }, run) => {
    consoleGuard.watch(context);
    await run(context);
  },
});

export { expect };

/** Every console error and uncaught exception of `page` from now on (to count the ones a journey provokes). */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

/**
 * Review pictures of a page (git-ignored, under e2e/screenshots/): `name`-light.png and `name`-dark.png at the
 * page's width, `name`-phone.png (light) and `name`-phone-dark.png at 390 px. The theme is switched the way the
 * header's toggle does it (the `dark` class on <html>), so what the page shows stays as it is; the theme and the
 * viewport are put back after.
 */
export async function shots(page: Page, name: string, { fullPage = true } = {}): Promise<void> {
  const setDark = (dark: boolean) => page.evaluate((d) => document.documentElement.classList.toggle("dark", d), dark);
  const wasDark = await page.evaluate(() => document.documentElement.classList.contains("dark"));
  const size = page.viewportSize() ?? { width: 1280, height: 720 };
  for (const theme of ["light", "dark"] as const) {
    await setDark(theme === "dark");
    await page.screenshot({ path: `e2e/screenshots/${name}-${theme}.png`, fullPage });
  }
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [theme, suffix] of [
    ["light", "phone"],
    ["dark", "phone-dark"],
  ] as const) {
    await setDark(theme === "dark");
    await page.screenshot({ path: `e2e/screenshots/${name}-${suffix}.png`, fullPage });
  }
  await page.setViewportSize(size);
  await setDark(wasDark);
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

/**
 * The <time> elements under `root` say the seconds when two of their instants fall in the same minute (shown to the
 * minute, steps seconds apart would read as simultaneous), and the minute otherwise. Returns
 * whether seconds were due, so a journey can say it expected steps seconds apart.
 */
export async function expectSecondsWhereDue(root: Locator): Promise<boolean> {
  const times = root.locator("time");
  await expect(times.first()).toBeVisible();
  const shown = await times.evaluateAll((els) =>
    els.map((e) => ({ at: new Date(e.getAttribute("datetime")!).toISOString(), text: e.textContent ?? "" })),
  );
  const sorted = shown.map((t) => t.at).sort();
  const due = sorted.some((t, i) => i > 0 && t.slice(0, 16) === sorted[i - 1]!.slice(0, 16));
  for (const { at, text } of shown) {
    const hhmmss = at.slice(11, 19);
    if (due) expect(text, `the time of ${at}`).toContain(hhmmss);
    else expect(text, `the time of ${at}`).toMatch(new RegExp(`${hhmmss.slice(0, 5)}(?!:) UTC`));
  }
  return due;
}

/**
 * Every form on the page that has fields the browser would check (required, a range, a pattern, an email or number
 * field) leaves the checking to its own messages: noValidate, so no browser pop-up.
 */
export async function expectNoNativeValidation(page: Page): Promise<void> {
  await expect(page.locator("form").first()).toBeAttached();
  const checked =
    "[required], [min], [max], [pattern], [minlength], input[type=email], input[type=url], input[type=number]";
  const native = await page
    .locator("form:not([novalidate])")
    .evaluateAll(
      (forms, checked) =>
        forms
          .filter((f) => f.querySelector(checked))
          .map((f) => f.getAttribute("aria-label") ?? f.outerHTML.slice(0, 80)),
      checked,
    );
  expect(native, "forms that would show the browser's own validation pop-ups").toEqual([]);
}
