/**
 * Calls in flight in this process, per instance (the router picks the least loaded) and the peak per version since
 * the scaler last looked (utilization = peak in flight over the instances' concurrent_executions).
 */
const inflight = new Map<string, number>();
const peaks = new Map<string, number>();
const byVersion = new Map<string, number>();

export function callStarted(instanceId: string, versionId: string): void {
  inflight.set(instanceId, (inflight.get(instanceId) ?? 0) + 1);
  const v = (byVersion.get(versionId) ?? 0) + 1;
  byVersion.set(versionId, v);
  peaks.set(versionId, Math.max(peaks.get(versionId) ?? 0, v));
}

export function callEnded(instanceId: string, versionId: string): void {
  const n = (inflight.get(instanceId) ?? 1) - 1;
  if (n <= 0) {
    inflight.delete(instanceId);
    for (const wake of idleWaiters.get(instanceId) ?? []) wake();
    idleWaiters.delete(instanceId);
  } else inflight.set(instanceId, n);
  const v = (byVersion.get(versionId) ?? 1) - 1;
  if (v <= 0) byVersion.delete(versionId);
  else byVersion.set(versionId, v);
}

export function inflightOf(instanceId: string): number {
  return inflight.get(instanceId) ?? 0;
}

/** The most calls a version had in flight since the last read; the window starts again from what is in flight now. */
export function takePeak(versionId: string): number {
  const peak = peaks.get(versionId) ?? 0;
  peaks.set(versionId, byVersion.get(versionId) ?? 0);
  return peak;
}

const idleWaiters = new Map<string, (() => void)[]>();

/** Resolves once the instance has no call in flight here, or after `timeoutMs` (a call that hangs must not pin it). */
export function whenIdle(instanceId: string, timeoutMs: number): Promise<void> {
  if (inflightOf(instanceId) === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    timer.unref();
    const list = idleWaiters.get(instanceId) ?? [];
    list.push(() => {
      clearTimeout(timer);
      resolve();
    });
    idleWaiters.set(instanceId, list);
  });
}
