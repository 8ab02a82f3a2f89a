import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { resolveArtifact } from "@/lib/runtime/artifacts";
import { probeWs, stopChild, type RunningAgent } from "../agentcore/agent-host";
import { imageArtifact } from "../images";
import { freePort } from "../net";
import type { Runtime, RuntimeVersion } from "./state";

/**
 * What AgentCore does with a runtime version once an endpoint serves it: fetch its code (the zip in the operator's
 * bucket, here the S3 double) or its image (here: a container URI mapped to an installed artifact), and run it.
 * Each version is a real local process, started once however many endpoints serve it, with only the runtime's
 * environment variables and PORT/HOST (it must answer /ping before it counts as started).
 */

export interface ProcessSources {
  /** The S3 double's object bytes. */
  object(bucket: string, key: string): Buffer | undefined;
  /** Container URI (without tag) -> installed artifact name. */
  images: Record<string, string>;
  startTimeoutMs: number;
}

/** Extracts a code zip into a fresh folder; entries leaving it are refused, as the service refuses them. */
function extract(zip: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "agentcore-code-"));
  for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(zip)))) {
    const target = path.resolve(dir, name);
    if (!target.startsWith(dir + path.sep)) throw new Error(`zip entry ${name} leaves the code folder`);
    if (name.endsWith("/")) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, bytes);
  }
  return dir;
}

export class VersionProcesses {
  private readonly running = new Map<string, Promise<RunningAgent>>();
  private readonly dirs: string[] = [];

  constructor(private readonly sources: ProcessSources) {}

  /** The running process of a runtime version, started on first use (again after it ended). */
  agentFor(rt: Runtime, v: RuntimeVersion): Promise<RunningAgent> {
    const key = `${rt.id}:${v.version}`;
    let p = this.running.get(key);
    if (!p) {
      p = this.start(v);
      const started = p;
      started.then(
        (a) => a.child.once("exit", () => this.running.get(key) === started && this.running.delete(key)),
        () => this.running.delete(key),
      );
      this.running.set(key, started);
    }
    return p;
  }

  private async start(v: RuntimeVersion): Promise<RunningAgent> {
    let cwd: string;
    let argv: string[];
    const code = v.artifact.codeConfiguration;
    if (code) {
      const zip = this.sources.object(code.code.s3.bucket, code.code.s3.prefix);
      if (!zip) throw new Error(`the code object s3://${code.code.s3.bucket}/${code.code.s3.prefix} is gone`);
      cwd = extract(zip);
      this.dirs.push(cwd);
      const [entry, ...args] = code.entryPoint as [string, ...string[]];
      argv = code.runtime.startsWith("NODE") ? [process.execPath, entry, ...args] : ["python3", entry, ...args];
    } else {
      const uri = v.artifact.containerConfiguration!.containerUri;
      const name = imageArtifact(uri, this.sources.images);
      const artifact = name ? resolveArtifact(name) : null;
      if (!artifact) throw new Error(`CannotPullContainerError: ${uri} is not an image this endpoint can run`);
      cwd = artifact.dir;
      argv = [process.execPath, artifact.entrypoint];
    }
    const port = await freePort();
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        ...v.environmentVariables,
        PORT: String(port),
        HOST: "127.0.0.1",
      } as Record<string, string> as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    const keep = (b: Buffer) => void output.push(b.toString("utf8"));
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const killOnExit = () => child.kill("SIGKILL");
    process.once("exit", killOnExit);
    child.once("exit", () => process.removeListener("exit", killOnExit));
    const origin = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + this.sources.startTimeoutMs;
    while (Date.now() < deadline) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`the agent exited with ${child.exitCode ?? child.signalCode}: ${output.join("").slice(-300)}`);
      }
      const ok = await fetch(`${origin}/ping`, { signal: AbortSignal.timeout(500) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) {
        return {
          origin,
          servesWs: await probeWs(origin),
          child,
          stop: () => stopChild(child),
        };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    throw new Error(`the agent did not answer /ping within ${this.sources.startTimeoutMs} ms`);
  }

  async close(): Promise<void> {
    const all = await Promise.allSettled([...this.running.values()]);
    this.running.clear();
    await Promise.all(all.map((a) => (a.status === "fulfilled" ? a.value.stop() : undefined)));
    for (const d of this.dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}
