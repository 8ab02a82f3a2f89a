import { isChunkBlock } from "./protocol";

/** A fault of the local AgentCore endpoint, for one runtime (`arn`) or all, used `count` times (default once). */
export type Fault =
  | { kind: "unavailable"; count?: number; arn?: string }
  /** Accepts and never answers; with `afterChunks`, stalls after relaying that many chunks. */
  | { kind: "timeout"; count?: number; arn?: string; afterChunks?: number }
  | { kind: "drop"; afterChunks: number; count?: number; arn?: string };

/** The faults waiting for new connections. */
export class FaultBook {
  private faults: (Fault & { count: number })[] = [];

  add(fault: Fault): void {
    this.faults.push({ ...fault, count: fault.count ?? 1 });
  }

  clear(): void {
    this.faults = [];
  }

  /** Takes the next matching fault for a new connection to `arn`. */
  take(arn: string): Fault | null {
    const f = this.faults.find((x) => (!x.arn || x.arn === arn) && x.count > 0);
    if (!f) return null;
    f.count -= 1;
    this.faults = this.faults.filter((x) => x.count > 0);
    return f;
  }
}

/**
 * What a relayed stream under `fault` does with each block the agent sends, over WebSocket and HTTP alike: "send"
 * it; "hold" it (a stalled stream: K chunks, then silence, the DONE held back too); or send it as the "last"
 * before the connection drops (not before: the client must see K chunks).
 */
export function streamFault(fault: Fault | null): (block: string) => "send" | "hold" | "last" {
  let sent = 0;
  return (block) => {
    const chunk = isChunkBlock(block);
    if (fault?.kind === "timeout" && (chunk ? sent >= (fault.afterChunks ?? 0) : sent > 0)) return "hold";
    if (chunk) sent++;
    if (fault?.kind === "drop" && sent >= fault.afterChunks) return "last";
    return "send";
  };
}
