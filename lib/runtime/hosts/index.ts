import "server-only";
import { applyObservation } from "../lifecycle";
import type { HostKind } from "../types";
import { FargateHost } from "./fargate";
import { LocalHost } from "./local";

interface Hosts {
  local: LocalHost;
  fargate: FargateHost;
}

// Cached on globalThis: the local host holds the child processes, which must survive Next's hot reloads.
const globalForHosts = globalThis as unknown as { __agentMarketHosts?: Hosts };

function create(): Hosts {
  return {
    local: new LocalHost(async (id, obs) => {
      await applyObservation(id, obs);
    }),
    fargate: new FargateHost(),
  };
}

export function hosts(): Hosts {
  return (globalForHosts.__agentMarketHosts ??= create());
}

/** The host of a process execution (a deployed execution has none: the router calls its instances). */
export function getHost(kind: Exclude<HostKind, "deployed">): LocalHost | FargateHost {
  return hosts()[kind];
}

/**
 * Closes this process's hosts, as an exiting app process does: the local host lets go of its processes (their
 * pipes close; `kill` also stops them) and the next `hosts()` call creates a fresh set, which finds the processes
 * left running through their records, like a restarted app.
 */
export function closeHosts(opts: { kill?: boolean } = {}): void {
  const current = globalForHosts.__agentMarketHosts;
  if (current) {
    if (opts.kill) current.local.killAll();
    current.local.release();
  }
  globalForHosts.__agentMarketHosts = undefined;
}
