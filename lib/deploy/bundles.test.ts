import { describe, expect, it } from "vitest";
import { AGENT_SOURCE, tarGz, zip } from "@/test/fixtures/deploy";
import { decodeSourceCode, detectFormat, entryPath, readBundle } from "./archive";
import { bundleDigest } from "./bundles";

const limits = { maxBytes: 1 << 20, maxUnpackedBytes: 1 << 20, maxFiles: 10 };

describe("bundles", () => {
  it("normalizes entry paths and refuses those that leave the bundle", () => {
    expect(entryPath("./src//index.mjs")).toBe("src/index.mjs");
    expect(entryPath("./")).toBe("");
    for (const bad of ["../x", "a/../../x", "/etc/passwd", "C:/x", "a\\b", "a\0b", `${"x".repeat(256)}/y`]) {
      expect(() => entryPath(bad), bad).toThrow();
    }
  });

  it("decodes strict base64 (wrapped lines allowed) within the size limit", () => {
    const b64 = Buffer.from(AGENT_SOURCE).toString("base64");
    expect(decodeSourceCode(`${b64.slice(0, 20)}\n${b64.slice(20)}`, limits).toString()).toBe(AGENT_SOURCE);
    expect(() => decodeSourceCode("abc$", limits)).toThrow(/base64/);
    expect(() => decodeSourceCode("", limits)).toThrow();
    expect(() => decodeSourceCode(Buffer.alloc(2048).toString("base64"), { ...limits, maxBytes: 1024 })).toThrow(
      /larger/,
    );
  });

  it("tells formats apart by magic bytes, and a file's digest covers its name", async () => {
    expect(detectFormat(zip({ "a.mjs": new Uint8Array([1]) }))).toBe("zip");
    expect(detectFormat(await tarGz([{ name: "a.mjs", data: "1" }]))).toBe("tar.gz");
    expect(detectFormat(Buffer.from(AGENT_SOURCE))).toBe("file");
    const bytes = Buffer.from(AGENT_SOURCE);
    expect(bundleDigest(bytes, "file", "a.mjs")).not.toBe(bundleDigest(bytes, "file", "b.mjs"));
    expect(bundleDigest(bytes, "zip", "a.mjs")).toBe(bundleDigest(bytes, "zip", "b.mjs"));
  });

  it("visits every file of an archive, with folders implied and the executable bit kept", async () => {
    const seen: [string, string, boolean][] = [];
    const tgz = await tarGz([
      { name: "bin/", type: "directory" },
      { name: "bin/run.js", data: "x", mode: 0o755 },
      { name: "lib/util.js", data: "y", mode: 0o644 },
    ]);
    const out = await readBundle(
      tgz,
      "tar.gz",
      "bin/run.js",
      (f) => void seen.push([f.path, f.data.toString(), f.executable]),
      limits,
    );
    expect(seen).toEqual([
      ["bin/run.js", "x", true],
      ["lib/util.js", "y", false],
    ]);
    expect(out).toMatchObject({ files: 2, unpackedBytes: 2 });
    // A file where a folder is implied, and the other way round.
    await expect(
      readBundle(zip({ a: new Uint8Array([1]), "a/b": new Uint8Array([2]) }), "zip", "a", () => {}, limits),
    ).rejects.toThrow(/both a file and a folder|twice/);
  });
});
