import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

/**
 * First-load JavaScript as a browser pays for it: the <script src> of the served HTML (module scripts only:
 * a modern browser never fetches `nomodule` polyfills), each fetched and gzipped at level 9, summed.
 * Next 16 no longer prints these sizes in `next build`; e2e/tools/first-load-js.ts is the command-line form.
 */
export class FirstLoad {
  private readonly sizes = new Map<string, Promise<number>>();

  constructor(
    private readonly base: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The page's status and its first-load JavaScript in bytes (gzip). */
  async page(pathname: string): Promise<{ status: number; scripts: number; bytes: number }> {
    const res = await fetch(new URL(pathname, this.base), { headers: this.headers, redirect: "manual" });
    const srcs = scriptSources(await res.text(), this.base);
    const sizes = await Promise.all(srcs.map((s) => this.gzipped(s)));
    return { status: res.status, scripts: srcs.length, bytes: sizes.reduce((a, b) => a + b, 0) };
  }

  private gzipped(url: string): Promise<number> {
    let size = this.sizes.get(url);
    if (!size) {
      size = fetch(url)
        .then((r) => r.arrayBuffer())
        .then((b) => gzipSync(Buffer.from(b), { level: 9 }).length);
      this.sizes.set(url, size);
    }
    return size;
  }
}

export function scriptSources(html: string, base: string): string[] {
  const srcs = [...html.matchAll(/<script([^>]*)>/g)]
    .filter((m) => !/\bnomodule\b/i.test(m[1]!))
    .map((m) => /\ssrc="([^"]+)"/.exec(m[1]!)?.[1])
    .filter((s): s is string => !!s)
    .map((s) => new URL(s.replace(/&amp;/g, "&"), base).href);
  return [...new Set(srcs)];
}

/**
 * The framework's own floor: the chunks every App Router page loads whatever it renders (React, the Next
 * runtime, the bundler's runtime), as the build lists them in `rootMainFiles`, gzipped the same way.
 */
export function frameworkFloorBytes(appDir: string): number {
  const manifest = JSON.parse(fs.readFileSync(path.join(appDir, ".next", "build-manifest.json"), "utf8")) as {
    rootMainFiles: string[];
  };
  return manifest.rootMainFiles
    .map((f) => gzipSync(fs.readFileSync(path.join(appDir, ".next", f)), { level: 9 }).length)
    .reduce((a, b) => a + b, 0);
}
