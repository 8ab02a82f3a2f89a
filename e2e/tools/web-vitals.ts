/**
 * A Lighthouse-style look at one page in headless Chromium: LCP and CLS (PerformanceObserver, buffered) and
 * TTFB, over several cold loads (a new browser context each time), reported as the median.
 * Usage: tsx e2e/tools/web-vitals.ts http://127.0.0.1:3101/ [runs]
 */
import { chromium } from "@playwright/test";

const [url, runsArg] = process.argv.slice(2);
if (!url) {
  console.error("usage: web-vitals.ts <url> [runs]");
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
const samples: { lcp: number; cls: number; ttfb: number }[] = [];
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { __lcp: number; __cls: number };
    w.__lcp = 0;
    w.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__lcp = e.startTime;
    }).observe({ type: "largest-contentful-paint", buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
        if (!e.hadRecentInput) w.__cls += e.value;
    }).observe({ type: "layout-shift", buffered: true });
  });
  await page.goto(url, { waitUntil: "load" });
  // LCP is final once the page has been idle a moment; give late shifts the same chance.
  await page.waitForTimeout(1500);
  const s = await page.evaluate(() => {
    const w = window as unknown as { __lcp: number; __cls: number };
    const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
    return { lcp: w.__lcp, cls: w.__cls, ttfb: nav.responseStart };
  });
  samples.push(s);
  await context.close();
}
await browser.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `${url}: LCP ${median(samples.map((s) => s.lcp)).toFixed(0)} ms, CLS ${median(samples.map((s) => s.cls)).toFixed(3)}, ` +
    `TTFB ${median(samples.map((s) => s.ttfb)).toFixed(0)} ms (median of ${runs}; LCP range ` +
    `${Math.min(...samples.map((s) => s.lcp)).toFixed(0)}-${Math.max(...samples.map((s) => s.lcp)).toFixed(0)} ms)`,
);
