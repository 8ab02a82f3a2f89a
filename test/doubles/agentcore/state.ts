export interface SessionRecord {
  arn: string;
  createdAt: Date;
  lastUsedAt: Date;
  invocations: number;
}

/** What the local AgentCore endpoint has seen: its sessions, its connection counts, and who waits for it to idle. */
export class EndpointState {
  readonly sessions = new Map<string, SessionRecord>();
  readonly stats = { connections: 0, open: 0, refused: 0, invocations: 0 };
  /** Every invocation: the runtime, the endpoint it named (qualifier) and the transport it came over. */
  readonly calls: { arn: string; sessionId: string; qualifier: string; transport: "ws" | "http" }[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  opened(): void {
    this.stats.connections++;
    this.stats.open++;
  }

  closed(): void {
    this.stats.open--;
    if (this.stats.open === 0) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Resolves when no client connection is open. */
  idle(): Promise<void> {
    return this.stats.open === 0 ? Promise.resolve() : new Promise((r) => this.idleWaiters.push(r));
  }

  /** An invocation in `sessionId`: the session is created on first use, as AgentCore does. */
  invoked(sessionId: string, arn: string, qualifier = "DEFAULT", transport: "ws" | "http" = "http"): void {
    this.calls.push({ arn, sessionId, qualifier, transport });
    if (this.calls.length > 1000) this.calls.shift();
    const s = this.sessions.get(sessionId);
    const t = new Date();
    if (s) {
      s.lastUsedAt = t;
      s.invocations++;
    } else this.sessions.set(sessionId, { arn, createdAt: t, lastUsedAt: t, invocations: 1 });
    this.stats.invocations++;
  }
}
