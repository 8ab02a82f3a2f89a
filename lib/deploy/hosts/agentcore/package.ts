import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import { zipSync, type Zippable } from "fflate";

/**
 * A version's code as AgentCore takes it: one zip of the folder the version runs from, its entrypoint relative to
 * the zip's root. The zip is deterministic (sorted entries, a fixed time) so the same code has the same SHA-256,
 * which names the object in the operator's bucket: uploading a version again changes nothing.
 */

const FIXED_TIME = new Date("1980-01-01T00:00:00Z");

export interface CodePackage {
  zip: Buffer;
  sha256: string;
}

function collect(dir: string, base: string, out: Zippable): void {
  for (const name of fs.readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const rel = base ? `${base}/${name}` : name;
    const st = fs.lstatSync(full);
    if (st.isDirectory()) collect(full, rel, out);
    else if (st.isFile()) out[rel] = [new Uint8Array(fs.readFileSync(full)), { mtime: FIXED_TIME }];
  }
}

export function packageCode(dir: string): CodePackage {
  const files: Zippable = {};
  collect(dir, "", files);
  const zip = Buffer.from(zipSync(files, { level: 6, mtime: FIXED_TIME }));
  return { zip, sha256: createHash("sha256").update(zip).digest("hex") };
}
