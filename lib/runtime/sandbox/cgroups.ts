import fs from "node:fs";
import path from "node:path";

/**
 * Per-sandbox control groups: a memory limit (the OOM killer ends the sandbox past it), a process-count limit and
 * CPU accounting, read back as the instance's resource usage. Works on cgroup v2 (one unified tree) and on v1 (one
 * tree per controller), where the app may create groups (it runs as root, or the tree is delegated to it).
 * Where it may not, `create` returns null and the sandbox falls back to rlimits alone.
 */

const ROOT = "/sys/fs/cgroup";
const PARENT = "agent-market";

export interface SandboxCgroup {
  /** Files a process writes its own pid to, to enter the group (one per v1 controller, one on v2). */
  procsFiles: string[];
  /** Bytes of memory the group uses now (page cache included, as the limit counts it). */
  memoryBytes(): number | null;
  /** CPU time the group has used, in milliseconds. */
  cpuMs(): number | null;
  /** The group's peak memory, bytes. */
  peakMemoryBytes(): number | null;
  /** True once the memory limit made the kernel kill a process of the group. */
  oomKilled(): boolean;
  /** Kills whatever is left in the group, waits until it is empty and removes it. */
  remove(): Promise<void>;
}

type Layout = { kind: "v2"; dir: string } | { kind: "v1"; dirs: Record<"memory" | "pids" | "cpuacct", string> };

let layout: Layout | null | undefined;

function writable(dir: string): boolean {
  try {
    fs.mkdirSync(path.join(dir, PARENT), { recursive: true });
    return true;
  } catch {
    return false;
  }
}

function detect(): Layout | null {
  if (process.platform !== "linux") return null;
  if (fs.existsSync(path.join(ROOT, "cgroup.controllers"))) {
    return writable(ROOT) ? { kind: "v2", dir: path.join(ROOT, PARENT) } : null;
  }
  const v1 = (c: string) => path.join(ROOT, c);
  if (["memory", "pids", "cpuacct"].every((c) => fs.existsSync(v1(c)) && writable(v1(c)))) {
    return {
      kind: "v1",
      dirs: {
        memory: path.join(v1("memory"), PARENT),
        pids: path.join(v1("pids"), PARENT),
        cpuacct: path.join(v1("cpuacct"), PARENT),
      },
    };
  }
  return null;
}

function read(file: string): string | null {
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    return null;
  }
}

const num = (v: string | null) => (v === null || v === "" || v === "max" ? null : Number(v));

/**
 * A group for one sandbox with `memoryBytes` and `maxProcesses`, whose procs files `uid` may write (the sandbox's
 * unprivileged launcher moves itself in before it starts anything). Null where groups cannot be made here.
 */
export function createCgroup(
  name: string,
  limits: { memoryBytes: number; maxProcesses: number },
  uid: number,
): SandboxCgroup | null {
  if (layout === undefined) {
    layout = detect();
    if (layout) sweep(layout.kind === "v2" ? [layout.dir] : Object.values(layout.dirs));
  }
  const l = layout;
  if (!l) return null;
  try {
    if (l.kind === "v2") {
      const parent = l.dir;
      // Controllers must be enabled on the parent for its children to have them.
      try {
        fs.writeFileSync(path.join(ROOT, "cgroup.subtree_control"), "+memory +pids +cpu");
        fs.writeFileSync(path.join(parent, "cgroup.subtree_control"), "+memory +pids +cpu");
      } catch {
        // already enabled, or not ours to enable: the writes below then fail and we fall back
      }
      const dir = path.join(parent, name);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, "memory.max"), String(limits.memoryBytes));
      fs.writeFileSync(path.join(dir, "memory.swap.max"), "0");
      fs.writeFileSync(path.join(dir, "pids.max"), String(limits.maxProcesses));
      fs.chownSync(path.join(dir, "cgroup.procs"), uid, uid);
      return {
        procsFiles: [path.join(dir, "cgroup.procs")],
        memoryBytes: () => num(read(path.join(dir, "memory.current"))),
        peakMemoryBytes: () => num(read(path.join(dir, "memory.peak"))),
        cpuMs: () => {
          const m = /usage_usec (\d+)/.exec(read(path.join(dir, "cpu.stat")) ?? "");
          return m ? Number(m[1]) / 1000 : null;
        },
        oomKilled: () => /oom_kill [1-9]/.test(read(path.join(dir, "memory.events")) ?? ""),
        remove: () => removeDirs([dir]),
      };
    }
    const dirs = {
      memory: path.join(l.dirs.memory, name),
      pids: path.join(l.dirs.pids, name),
      cpuacct: path.join(l.dirs.cpuacct, name),
    };
    for (const d of Object.values(dirs)) fs.mkdirSync(d);
    fs.writeFileSync(path.join(dirs.memory, "memory.limit_in_bytes"), String(limits.memoryBytes));
    try {
      fs.writeFileSync(path.join(dirs.memory, "memory.memsw.limit_in_bytes"), String(limits.memoryBytes));
    } catch {
      // no swap accounting on this kernel: the memory limit alone holds
    }
    fs.writeFileSync(path.join(dirs.pids, "pids.max"), String(limits.maxProcesses));
    for (const d of Object.values(dirs)) fs.chownSync(path.join(d, "cgroup.procs"), uid, uid);
    return {
      procsFiles: Object.values(dirs).map((d) => path.join(d, "cgroup.procs")),
      memoryBytes: () => num(read(path.join(dirs.memory, "memory.usage_in_bytes"))),
      peakMemoryBytes: () => num(read(path.join(dirs.memory, "memory.max_usage_in_bytes"))),
      cpuMs: () => {
        const ns = num(read(path.join(dirs.cpuacct, "cpuacct.usage")));
        return ns === null ? null : ns / 1e6;
      },
      oomKilled: () => /oom_kill [1-9]/.test(read(path.join(dirs.memory, "memory.oom_control")) ?? ""),
      remove: () => removeDirs(Object.values(dirs)),
    };
  } catch {
    return null;
  }
}

function pidsIn(dir: string): number[] {
  return (read(path.join(dir, "cgroup.procs")) ?? "").split("\n").filter(Boolean).map(Number);
}

/**
 * A group can be removed only once it is empty. Processes of a sandbox whose bubblewrap is gone are being killed by
 * the kernel (--die-with-parent) and may take a moment to be reaped: kill what is left, then wait, bounded.
 */
async function removeDirs(dirs: string[]): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (const dir of dirs) {
    for (;;) {
      const pids = pidsIn(dir);
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      try {
        fs.rmdirSync(dir);
        break;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }
}

/** Groups a crashed app process left behind: empty ones are removed when the first sandbox of this process starts. */
function sweep(parents: string[]): void {
  for (const parent of parents) {
    for (const name of fs.readdirSync(parent, { withFileTypes: true })) {
      if (!name.isDirectory()) continue;
      const dir = path.join(parent, name.name);
      if (pidsIn(dir).length === 0) {
        try {
          fs.rmdirSync(dir);
        } catch {
          // in use after all
        }
      }
    }
  }
}
