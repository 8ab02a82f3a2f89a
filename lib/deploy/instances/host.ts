import "server-only";
import { startSandbox, waitReady } from "@/lib/runtime/sandbox";
import type { VersionFiles } from "./files";

/** What starts a version's instance on this host: the bubblewrap sandbox, or a stand-in in the bench. */
export interface InstanceHost {
  start(spec: InstanceSpec): Promise<RunningInstance>;
}

export interface InstanceSpec {
  /** [A-Za-z0-9-]: names the sandbox. */
  id: string;
  files: VersionFiles;
  env: Record<string, string>;
  memoryMb: number;
  readyTimeoutMs: number;
}

export interface RunningInstance {
  /** The Unix socket the agent answers on. */
  address: string;
  /** The sandbox's outermost process (bubblewrap), whose tree's CPU and memory are the instance's usage. */
  pid?: number;
  /** Resolves with the reason once the instance is gone, whoever ended it. */
  exited: Promise<string>;
  stop(): Promise<void>;
}

/** A fixed search path inside the sandbox (the sandbox has only the system's /usr). */
const SANDBOX_PATH = "/usr/local/bin:/usr/bin:/bin";

export const sandboxHost: InstanceHost = {
  async start(spec) {
    const sandbox = await startSandbox({
      id: spec.id,
      bundleDir: spec.files.bundleDir,
      entrypoint: spec.files.entrypoint,
      runtime: spec.files.runtime,
      env: { ...spec.env, PATH: SANDBOX_PATH },
      memoryMb: spec.memoryMb,
    });
    const exited = sandbox.exited.then((e) => e.reason);
    if (!(await waitReady(sandbox, spec.readyTimeoutMs))) {
      await sandbox.stop();
      throw new Error(`the instance did not answer /ping within ${spec.readyTimeoutMs} ms (${await exited})`);
    }
    return {
      address: sandbox.socketPath,
      pid: sandbox.pid,
      exited,
      stop: async () => void (await sandbox.stop()),
    };
  },
};
