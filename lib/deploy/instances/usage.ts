import "server-only";
import fs from "node:fs";

/**
 * What a sandboxed instance uses, read from /proc: the CPU time and resident memory of its whole process tree
 * (bubblewrap, its init, the relay and the agent's processes). The process table is read once per sample and the
 * tree found by parent pid, so it needs neither control groups nor anything inside the sandbox.
 */

export interface TreeUsage {
  /** user + system CPU time of the live processes of the tree, ms */
  cpuMs: number;
  /** resident memory of the tree, bytes */
  rssBytes: number;
  processes: number;
}

/** Linux reports CPU times in clock ticks of USER_HZ, 100 on every architecture Node runs on. */
const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

interface Stat {
  pid: number;
  ppid: number;
  cpuTicks: number;
  rssPages: number;
}

/** /proc/<pid>/stat: the command name (field 2) may hold spaces and parentheses, so fields count from its last ')'. */
function readStat(pid: number): Stat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null; // ended meanwhile
  }
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // After the name: state(0) ppid(1) ... utime(11) stime(12) ... rss(21)
  return { pid, ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]), rssPages: Number(f[21]) };
}

/** Usage of `root` and every process below it; null when `root` is gone (or there is no /proc). */
export function processTreeUsage(root: number): TreeUsage | null {
  let pids: number[];
  try {
    pids = fs
      .readdirSync("/proc")
      .filter((n) => n.charCodeAt(0) >= 48 && n.charCodeAt(0) <= 57)
      .map(Number);
  } catch {
    return null;
  }
  const children = new Map<number, Stat[]>();
  let top: Stat | null = null;
  for (const pid of pids) {
    const s = readStat(pid);
    if (!s) continue;
    if (pid === root) top = s;
    const list = children.get(s.ppid);
    if (list) list.push(s);
    else children.set(s.ppid, [s]);
  }
  if (!top) return null;
  const usage: TreeUsage = { cpuMs: 0, rssBytes: 0, processes: 0 };
  for (const queue = [top]; queue.length;) {
    const s = queue.pop()!;
    usage.cpuMs += (s.cpuTicks * 1000) / TICKS_PER_SECOND;
    usage.rssBytes += s.rssPages * PAGE_BYTES;
    usage.processes += 1;
    queue.push(...(children.get(s.pid) ?? []));
  }
  return usage;
}

export interface UsageReading {
  /** share of one CPU used since the previous reading, 0-1 (null on the first) */
  cpuUtilization: number | null;
  /** resident memory over the instance's memory limit, 0-1 */
  memoryUtilization: number;
  memoryBytes: number;
}

/**
 * Turns successive tree samples of one instance into utilizations: CPU time used between two samples over the
 * wall time between them (an instance's allowance is one CPU: the agent is one Node or Python process), memory
 * over its limit.
 */
export class UsageMeter {
  private last: { cpuMs: number; at: number } | null = null;

  constructor(
    private readonly pid: number,
    private readonly memoryLimitBytes: number,
  ) {}

  read(now = performance.now()): UsageReading | null {
    const u = processTreeUsage(this.pid);
    if (!u) return null;
    const prev = this.last;
    this.last = { cpuMs: u.cpuMs, at: now };
    const wall = prev ? now - prev.at : 0;
    // A process of the tree that ended takes its CPU time along: never report less than nothing.
    const cpu = prev && wall > 0 ? Math.min(1, Math.max(0, (u.cpuMs - prev.cpuMs) / wall)) : null;
    return {
      cpuUtilization: cpu,
      memoryUtilization: Math.min(1, u.rssBytes / this.memoryLimitBytes),
      memoryBytes: u.rssBytes,
    };
  }
}
