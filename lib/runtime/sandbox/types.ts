/** What a sandbox is to its callers: what it runs, how it ends, what it uses (lib/runtime/sandbox/index.ts makes one). */

export interface SandboxSpec {
  /** Names the sandbox's folders and control group: [A-Za-z0-9-]. */
  id: string;
  /** The version's files, mounted read-only at /app. */
  bundleDir: string;
  /** The program to run, relative to the bundle. */
  entrypoint: string;
  runtime: "node" | "python";
  /** The agent's environment: the contract's variables and the owner's secrets (never the app's). */
  env: Record<string, string>;
  memoryMb: number;
  /** Largest number of processes and threads (a fork bomb meets this). */
  maxProcesses?: number;
  /** CPU seconds before the kernel ends the sandbox. */
  cpuSeconds?: number;
  /** Largest file the agent may write, bytes. */
  maxFileBytes?: number;
}

export interface SandboxExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why, in words: "exited with 0", "out of memory (limit 128 MB)", ... */
  reason: string;
}

export interface SandboxUsage {
  memoryBytes: number | null;
  peakMemoryBytes: number | null;
  cpuMs: number | null;
}

export interface Sandbox {
  id: string;
  pid: number;
  /** The agent's HTTP interface, through the relay. */
  socketPath: string;
  /** stdout and stderr lines of the agent (and the sandbox's own messages). */
  onLine(fn: (stream: "stdout" | "stderr", line: string) => void): void;
  exited: Promise<SandboxExit>;
  usage(): SandboxUsage;
  /** Ends the sandbox (all its processes) and removes its folders and control group. */
  stop(): Promise<SandboxExit>;
}

export interface SandboxSupport {
  available: boolean;
  reason: string | null;
  /** Memory and process limits come from control groups (true) or only from rlimits and the heap size (false). */
  cgroups: boolean;
}
