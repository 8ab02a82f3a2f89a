/**
 * First-load JavaScript per page, measured the way a browser pays for it: the <script src> of the served HTML (not noModule),
 * each fetched and gzipped (level 9), summed. Next 16 no longer prints these sizes in `next build`.
 * Usage: tsx e2e/tools/first-load-js.ts http://127.0.0.1:3101 / /agents/<id> /services/<id> ...
 */
import { gzipSync } from "node:zlib";

const [base, ...paths] = process.argv.slice(2);
if (!base || paths.length === 0) {
  console.error("usage: first-load-js.ts <base-url> <path>...");
  process.exit(2);
}
const cookie = process.env.COOKIE;
const cache = new Map<string, number>();

async function gz(url: string): Promise<number> {
  const hit = cache.get(url);
  if (hit !== undefined) return hit;
  const buf = Buffer.from(await (await fetch(url)).arrayBuffer());
  const n = gzipSync(buf, { level: 9 }).length;
  cache.set(url, n);
  return n;
}

for (const path of paths) {
  const res = await fetch(new URL(path, base), { headers: cookie ? { cookie } : {}, redirect: "manual" });
  const html = await res.text();
  // noModule scripts (legacy polyfills) are never fetched by a modern browser.
  const srcs = [...html.matchAll(/<script([^>]*)>/g)]
    .filter((m) => !/\bnomodule\b/i.test(m[1]!))
    .map((m) => /\ssrc="([^"]+)"/.exec(m[1]!)?.[1])
    .filter((s): s is string => !!s)
    .map((s) => new URL(s.replace(/&amp;/g, "&"), base).href);
  const unique = [...new Set(srcs)];
  let total = 0;
  for (const s of unique) total += await gz(s);
  console.log(`${path.padEnd(48)} ${res.status}  ${unique.length} scripts  ${(total / 1024).toFixed(1)} kB gzip`);
}
