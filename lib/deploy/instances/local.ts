import "server-only";
import { log } from "@/lib/log";
import { recordUsage } from "@/lib/metrics/recorder";
import type { Environment } from "../types";
import type { RunningInstance } from "./host";
import { UsageMeter } from "./usage";

interface Local {
  row: { agentId: string; environment: Environment; versionId: string };
  running: RunningInstance;
  /** Set once this node ends it on purpose, so its exit is not reported as a failure. */
  stopping: boolean;
  /** null when the host does not say which process it is (a stand-in host in the bench) */
  meter: UsageMeter | null;
}

/**
 * The instances this process started and still runs, by instance row id: stopping them, and sampling what they use
 * into the metrics (the resource_usage series) on every health-check tick.
 */
export class LocalInstances {
  private readonly map = new Map<string, Local>();

  get size(): number {
    return this.map.size;
  }

  ids(): string[] {
    return [...this.map.keys()];
  }

  /** Registers a started instance and reads its usage once, so the first tick has a CPU time to compare with. */
  add(id: string, row: Local["row"], running: RunningInstance, memoryLimitMb: number): Local {
    const meter = running.pid ? new UsageMeter(running.pid, memoryLimitMb * 1024 * 1024) : null;
    meter?.read();
    const local: Local = { row, running, stopping: false, meter };
    this.map.set(id, local);
    return local;
  }

  /** Forgets an instance whose process ended by itself. */
  forget(id: string): void {
    this.map.delete(id);
  }

  /** Whether this process runs the instance. */
  has(id: string): boolean {
    return this.map.has(id);
  }

  /** Ends an instance of this process (when it is one); `before` runs once it is out of the table (a drain). */
  async stop(id: string, before?: () => Promise<void>): Promise<void> {
    const local = this.map.get(id);
    if (!local) return;
    local.stopping = true;
    await before?.();
    this.map.delete(id);
    await local.running.stop();
  }

  /** Ends every instance of this process; returns their ids. */
  async stopAll(): Promise<string[]> {
    const ids = this.ids();
    const all = [...this.map.values()];
    for (const l of all) l.stopping = true;
    this.map.clear();
    await Promise.all(all.map((l) => l.running.stop().catch(() => {})));
    return ids;
  }

  /** Records the CPU and memory an instance used since its last sample (nothing when it is not ours or gone). */
  sampleUsage(id: string): void {
    const local = this.map.get(id);
    const reading = local?.meter?.read();
    if (!local || !reading || reading.cpuUtilization === null) return;
    try {
      recordUsage({
        ...local.row,
        cpuUtilization: reading.cpuUtilization,
        memoryUtilization: reading.memoryUtilization,
        memoryBytes: reading.memoryBytes,
        // The scratch folder's size is not sampled: the sandbox does not hand its path to the instances.
        diskBytes: 0,
      });
    } catch (err) {
      log().warn({ instance: id, err: (err as Error).message }, "could not record an instance's usage");
    }
  }
}
