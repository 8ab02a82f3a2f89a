import { AwsJsonError } from "../aws-json";

/**
 * The state of the CloudWatch Logs double: log groups holding streams of events, as the service keeps them, and
 * the reads the SDK makes of them. GetLogEvents pages one stream by position tokens (`f/…` forward, `b/…`
 * backward; at the end the forward token comes back unchanged, which is how a caller knows it has caught up).
 * FilterLogEvents reads a group's streams merged in time order, paged by an opaque `nextToken` that is absent
 * on the last page; `maxPage` caps a page below the asked limit, as the service does for large results. Naming a
 * stream that does not exist fails FilterLogEvents with ResourceNotFoundException, as on AWS.
 */

export interface StoredEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  /** Global arrival order: ties on timestamp keep it. */
  seq: number;
}

const MAX_LIMIT = 10_000;
const notFound = (what: "group" | "stream") =>
  new AwsJsonError("ResourceNotFoundException", `The specified log ${what} does not exist.`);

const token = (dir: "f" | "b", pos: number) => `${dir}/${String(pos).padStart(56, "0")}`;

function parseToken(value: unknown): { dir: "f" | "b"; pos: number } | null {
  if (value === undefined || value === null) return null;
  const m = /^([fb])\/(\d{1,56})$/.exec(String(value));
  if (!m) throw new AwsJsonError("InvalidParameterException", "The specified nextToken is invalid.");
  return { dir: m[1] as "f" | "b", pos: Number(m[2]) };
}

function limitOf(value: unknown): number {
  if (value === undefined) return MAX_LIMIT;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_LIMIT) {
    throw new AwsJsonError("InvalidParameterException", "1 validation error detected: Value at 'limit' failed.");
  }
  return value as number;
}

const eventJson = (e: StoredEvent) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime });

function groupName(body: Record<string, any>): string {
  const name =
    body.logGroupName ??
    String(body.logGroupIdentifier ?? "")
      .split(":log-group:")
      .pop();
  if (!name)
    throw new AwsJsonError("InvalidParameterException", "Either logGroupName or logGroupIdentifier is required.");
  return String(name);
}

export class LogStore {
  readonly groups = new Map<string, Map<string, StoredEvent[]>>();
  /** Caps a FilterLogEvents page (the service returns fewer events than asked for, with a token). */
  maxPage = MAX_LIMIT;
  private seq = 0;

  hasGroup(name: string): boolean {
    return this.groups.has(name);
  }

  createGroup(name: string): void {
    if (this.groups.has(name))
      throw new AwsJsonError("ResourceAlreadyExistsException", "The specified log group already exists");
    this.groups.set(name, new Map());
  }

  createStream(group: string, stream: string): void {
    const g = this.groups.get(group);
    if (!g) throw notFound("group");
    if (g.has(stream))
      throw new AwsJsonError("ResourceAlreadyExistsException", "The specified log stream already exists");
    g.set(stream, []);
  }

  /** Appends one event, creating the stream (the awslogs driver creates its streams; the group must exist). */
  append(group: string, stream: string, message: string, timestamp = Date.now()): void {
    const g = this.groups.get(group);
    if (!g) throw notFound("group");
    const list = g.get(stream) ?? [];
    g.set(stream, list);
    list.push({ timestamp, message, ingestionTime: Date.now(), seq: this.seq++ });
  }

  /** What a stream holds now (tests). */
  messages(group: string, stream: string): string[] {
    return (this.groups.get(group)?.get(stream) ?? []).map((e) => e.message);
  }

  putLogEvents(body: Record<string, any>) {
    const events: { timestamp: number; message: string }[] = body.logEvents ?? [];
    if (events.length === 0 || events.length > MAX_LIMIT) {
      throw new AwsJsonError("InvalidParameterException", "logEvents must hold 1 to 10000 events");
    }
    const g = this.groups.get(groupName(body));
    if (!g) throw notFound("group");
    if (!g.has(String(body.logStreamName))) throw notFound("stream");
    for (const e of events)
      this.append(groupName(body), String(body.logStreamName), String(e.message), Number(e.timestamp));
    return { nextSequenceToken: String(this.seq) };
  }

  getLogEvents(body: Record<string, any>) {
    const g = this.groups.get(groupName(body));
    if (!g) throw notFound("group");
    const all = g.get(String(body.logStreamName ?? ""));
    if (!all) throw notFound("stream");
    const events = all.filter(
      (e) =>
        (body.startTime === undefined || e.timestamp >= body.startTime) &&
        (body.endTime === undefined || e.timestamp < body.endTime),
    );
    const limit = limitOf(body.limit);
    const at = parseToken(body.nextToken);
    let from: number;
    let to: number;
    if (at?.dir === "b") {
      to = Math.min(at.pos, events.length);
      from = Math.max(0, to - limit);
    } else {
      from = at ? Math.min(at.pos, events.length) : body.startFromHead ? 0 : Math.max(0, events.length - limit);
      to = Math.min(events.length, from + limit);
    }
    return {
      events: events.slice(from, to).map(eventJson),
      nextForwardToken: token("f", to),
      nextBackwardToken: token("b", from),
    };
  }

  filterLogEvents(body: Record<string, any>) {
    const name = groupName(body);
    const g = this.groups.get(name);
    if (!g) throw notFound("group");
    if (body.logStreamNames && body.logStreamNamePrefix) {
      throw new AwsJsonError(
        "InvalidParameterException",
        "logStreamNames and logStreamNamePrefix are mutually exclusive",
      );
    }
    const names: string[] | undefined = body.logStreamNames;
    if (names && (names.length === 0 || names.length > 100)) {
      throw new AwsJsonError("InvalidParameterException", "logStreamNames must hold 1 to 100 names");
    }
    // As the service: naming a stream that does not exist (yet) fails the whole call.
    if (names?.some((n) => !g.has(n))) throw notFound("stream");
    const prefix: string | undefined = body.logStreamNamePrefix;
    const pattern = typeof body.filterPattern === "string" ? body.filterPattern.replace(/^"|"$/g, "") : "";
    const merged: (StoredEvent & { stream: string })[] = [];
    for (const [stream, list] of g) {
      if (names && !names.includes(stream)) continue;
      if (prefix && !stream.startsWith(prefix)) continue;
      for (const e of list) {
        if (body.startTime !== undefined && e.timestamp < body.startTime) continue;
        if (body.endTime !== undefined && e.timestamp > body.endTime) continue;
        if (pattern && !e.message.includes(pattern)) continue;
        merged.push({ ...e, stream });
      }
    }
    merged.sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
    let from = 0;
    if (body.nextToken !== undefined) {
      const decoded = /^([^:]+):(\d+)$/.exec(Buffer.from(String(body.nextToken), "base64url").toString("utf8"));
      if (!decoded || decoded[1] !== name) {
        throw new AwsJsonError("InvalidParameterException", "The specified nextToken is invalid.");
      }
      from = Number(decoded[2]);
    }
    const to = Math.min(merged.length, from + Math.min(limitOf(body.limit), this.maxPage));
    return {
      events: merged.slice(from, to).map((e) => ({
        logStreamName: e.stream,
        ...eventJson(e),
        eventId: String(e.seq).padStart(56, "0"),
      })),
      searchedLogStreams: [],
      ...(to < merged.length ? { nextToken: Buffer.from(`${name}:${to}`).toString("base64url") } : {}),
    };
  }
}
