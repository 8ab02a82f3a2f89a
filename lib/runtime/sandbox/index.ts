import "server-only";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { env } from "@/lib/env";
import { createCgroup, type SandboxCgroup } from "./cgroups";
import { INIT_SCRIPT } from "./init-script";

import type { Sandbox, SandboxExit, SandboxSpec, SandboxSupport, SandboxUsage } from "./types";

export { requestSandbox, waitReady } from "./client";
export type { Sandbox, SandboxExit, SandboxSpec, SandboxSupport, SandboxUsage } from "./types";

/**
 * The OS sandbox uploaded code runs in on the local host (bubblewrap): its own mount, PID, IPC, UTS and network
 * namespaces; a filesystem of the system's read-only /usr, the version's files read-only at /app and a scratch
 * folder at /scratch, and nothing of the app (no source, no .data, no environment, no database socket); an
 * unprivileged uid of its own; no network but its own loopback (the host reaches the agent through a Unix socket,
 * see init-script.ts); and limits on memory and processes (control groups, where the app may make them) and on CPU
 * time, file size and open files (rlimits). Where bubblewrap cannot run (macOS, Windows, a Linux without user
 * namespaces) `sandboxSupport()` says why, and callers refuse uploaded code with a 422.
 */

const AGENT_PORT = 8080;
const SOCKET_DIR = "/run/agent";
const PLATFORM_DIR = "/platform";

let support: SandboxSupport | undefined;

/** Whether uploaded code can run here, probed once by running `true` inside a real sandbox. */
export function sandboxSupport(): SandboxSupport {
  if (support) return support;
  const bwrap = env().SANDBOX_BWRAP_PATH;
  if (process.platform !== "linux") {
    support = {
      available: false,
      reason: `bubblewrap sandboxes need Linux (this is ${process.platform})`,
      cgroups: false,
    };
  } else if (!fs.existsSync(bwrap)) {
    support = {
      available: false,
      reason: `bubblewrap is not installed (${bwrap}; apt-get install bubblewrap)`,
      cgroups: false,
    };
  } else {
    const uid = sandboxUid();
    const probe = spawnSync(bwrap, [...baseArgs(), "/usr/bin/true"], {
      timeout: 10_000,
      ...(uid === null ? {} : { uid, gid: uid }),
    });
    support =
      probe.status === 0
        ? { available: true, reason: null, cgroups: cgroupProbe() }
        : {
            available: false,
            reason: `bubblewrap cannot make a sandbox here: ${String(probe.stderr ?? probe.error ?? "")
              .trim()
              .slice(0, 200)}`,
            cgroups: false,
          };
  }
  return support;
}

function cgroupProbe(): boolean {
  const g = createCgroup(`probe-${process.pid}`, { memoryBytes: 64 << 20, maxProcesses: 8 }, process.getuid?.() ?? 0);
  void g?.remove();
  return g !== null;
}

let uidCounter = 0;

/**
 * A host uid for a new sandbox: when the app runs as root, one of its own per sandbox (so per-uid limits are per
 * sandbox, and no sandbox can signal another's processes); otherwise the app's own uid (user namespaces still map
 * it to an unprivileged uid inside).
 */
function sandboxUid(): number | null {
  if (process.getuid?.() !== 0) return null;
  uidCounter = (uidCounter + 1) % 1000;
  return 200_000 + (process.pid % 1000) * 1000 + uidCounter;
}

/** Namespaces and the read-only system every sandbox gets. */
function baseArgs(): string[] {
  return [
    "--unshare-all",
    "--die-with-parent",
    "--new-session",
    "--ro-bind",
    "/usr",
    "/usr",
    "--symlink",
    "usr/lib",
    "/lib",
    "--symlink",
    "usr/lib64",
    "/lib64",
    "--symlink",
    "usr/bin",
    "/bin",
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--clearenv",
  ];
}

/** Starts `spec` in a new sandbox; resolves once its processes run (not once the agent answers: see waitReady). */
export async function startSandbox(spec: SandboxSpec): Promise<Sandbox> {
  const s = sandboxSupport();
  if (!s.available) throw new Error(s.reason ?? "no sandbox here");
  if (!/^[A-Za-z0-9-]{1,64}$/.test(spec.id)) throw new Error("sandbox id must be [A-Za-z0-9-]");
  const entry = path.posix.normalize(spec.entrypoint);
  if (entry.startsWith("..") || path.posix.isAbsolute(entry)) throw new Error("entrypoint must stay inside the bundle");

  const uid = sandboxUid();
  const root = path.resolve(env().SANDBOX_DIR, spec.id);
  fs.rmSync(root, { recursive: true, force: true });
  const dirs = {
    platform: path.join(root, "platform"),
    run: path.join(root, "run"),
    scratch: path.join(root, "scratch"),
  };
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true, mode: 0o755 });
  fs.writeFileSync(path.join(dirs.platform, "init.mjs"), INIT_SCRIPT, { mode: 0o444 });
  if (uid !== null) {
    fs.chownSync(dirs.run, uid, uid);
    fs.chownSync(dirs.scratch, uid, uid);
  }
  fs.chmodSync(dirs.scratch, 0o700);

  const memoryBytes = spec.memoryMb * 1024 * 1024;
  const maxProcesses = spec.maxProcesses ?? 64;
  const cgroup: SandboxCgroup | null = s.cgroups
    ? createCgroup(
        `${spec.id}-${randomBytes(4).toString("hex")}`,
        { memoryBytes, maxProcesses },
        uid ?? process.getuid?.() ?? 0,
      )
    : null;

  const setenv = Object.entries({
    ...spec.env,
    PORT: String(AGENT_PORT),
    HOST: "127.0.0.1",
    HOME: "/scratch",
    TMPDIR: "/scratch",
  }).flatMap(([k, v]) => ["--setenv", k, v]);
  const bwrapArgs = [
    ...baseArgs(),
    "--ro-bind",
    path.resolve(spec.bundleDir),
    "/app",
    "--ro-bind",
    dirs.platform,
    PLATFORM_DIR,
    "--bind",
    dirs.run,
    SOCKET_DIR,
    "--bind",
    dirs.scratch,
    "/scratch",
    // Nothing but /scratch (and the socket folder) is writable: not even the sandbox's own root.
    "--remount-ro",
    "/",
    "--chdir",
    "/app",
    ...setenv,
    process.execPath,
    `${PLATFORM_DIR}/init.mjs`,
    spec.runtime,
    entry,
    String(AGENT_PORT),
    `${SOCKET_DIR}/agent.sock`,
    // Without a memory group, the heap limit is the node agent's memory bound.
    cgroup ? "" : String(spec.memoryMb),
  ];
  const rlimits = [
    `--cpu=${spec.cpuSeconds ?? 3600}`,
    `--fsize=${spec.maxFileBytes ?? 64 * 1024 * 1024}`,
    "--nofile=1024",
    "--core=0",
    // Per uid: a uid of its own per sandbox when we are root; otherwise the group above is the bound that holds.
    ...(uid !== null ? [`--nproc=${maxProcesses}`] : []),
  ];
  // The launcher enters the control groups itself (as the sandbox's uid), then becomes bubblewrap.
  const enter = (cgroup?.procsFiles ?? []).map((f) => `echo $$ > ${shellQuote(f)}`).join(" && ");
  const launcher = `${enter ? `${enter} && ` : ""}exec prlimit ${rlimits.join(" ")} -- "$0" "$@"`;
  const child: ChildProcess = spawn("/bin/sh", ["-c", launcher, env().SANDBOX_BWRAP_PATH, ...bwrapArgs], {
    stdio: ["ignore", "pipe", "pipe"],
    // Nothing of the app's environment: bubblewrap clears it anyway (--clearenv), this keeps the launcher clean too.
    env: {} as NodeJS.ProcessEnv,
    ...(uid === null ? {} : { uid, gid: uid }),
  });
  await new Promise<void>((resolve, reject) => {
    child.once("spawn", resolve);
    child.once("error", reject);
  });

  const listeners: ((stream: "stdout" | "stderr", line: string) => void)[] = [];
  readline.createInterface({ input: child.stdout! }).on("line", (l) => listeners.forEach((f) => f("stdout", l)));
  readline.createInterface({ input: child.stderr! }).on("line", (l) => listeners.forEach((f) => f("stderr", l)));

  let lastUsage: SandboxUsage = { memoryBytes: null, peakMemoryBytes: null, cpuMs: null };
  const usage = (): SandboxUsage => {
    if (!cgroup) return lastUsage;
    lastUsage = { memoryBytes: cgroup.memoryBytes(), peakMemoryBytes: cgroup.peakMemoryBytes(), cpuMs: cgroup.cpuMs() };
    return lastUsage;
  };
  const exited = new Promise<SandboxExit>((resolve) => {
    child.once("exit", async (code, signal) => {
      usage();
      const oom = cgroup?.oomKilled() ?? false;
      const reason = oom
        ? `out of memory (limit ${spec.memoryMb} MB)`
        : signal
          ? `ended by ${signal}`
          : code === 0
            ? "exited with 0"
            : `exited with ${code}`;
      await cgroup?.remove();
      fs.rmSync(root, { recursive: true, force: true });
      resolve({ code, signal, reason });
    });
  });

  return {
    id: spec.id,
    pid: child.pid!,
    socketPath: path.join(dirs.run, "agent.sock"),
    onLine: (fn) => listeners.push(fn),
    exited,
    usage,
    stop: async () => {
      // bubblewrap's --die-with-parent ends everything inside once it is gone.
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      return exited;
    },
  };
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
