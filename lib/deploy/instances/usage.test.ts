import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { waitFor } from "@/test/fixtures/runtime";
import { processTreeUsage, UsageMeter } from "./usage";

describe("process tree usage from /proc", () => {
  it("sums a process and its children: resident memory, CPU time, how many", async () => {
    // A shell waiting on a Node child that holds 40 MB after half a second of CPU (its own process group, to end both).
    const child = `const b = Buffer.alloc(40 << 20, 1); while (process.cpuUsage().user < 500000); setTimeout(() => {}, 30000)`;
    const parent = spawn("/bin/sh", ["-c", `${process.execPath} -e '${child}'; true`], {
      stdio: "ignore",
      detached: true,
    });
    try {
      const u = await waitFor(async () => {
        const x = processTreeUsage(parent.pid!);
        return x && x.processes === 2 && x.rssBytes > 40 << 20 && x.cpuMs >= 500 ? x : undefined;
      }, "the child's memory and CPU time");
      expect(u.processes).toBe(2);
      const meter = new UsageMeter(parent.pid!, 256 << 20);
      expect(meter.read(0)?.cpuUtilization).toBeNull();
      const second = meter.read(1_000)!;
      expect(second.memoryBytes).toBeGreaterThan(40 << 20);
      expect(second.memoryUtilization).toBeCloseTo(second.memoryBytes / (256 << 20), 6);
      expect(second.cpuUtilization).toBeGreaterThanOrEqual(0);
      expect(second.cpuUtilization).toBeLessThanOrEqual(1);
    } finally {
      process.kill(-parent.pid!, "SIGKILL");
    }
  });

  it("is null for a process that does not exist", () => {
    expect(processTreeUsage(2 ** 22 + 1)).toBeNull();
  });
});
