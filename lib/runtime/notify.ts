import "server-only";
import { getDatabase } from "@/db/client";

/**
 * One LISTEN per channel per process, fanned out to in-process subscribers (SSE streams). A notification only
 * wakes readers; they read the tables, so a lost one costs latency, never data (streams also poll slowly).
 */
type Callback = (payload: string) => void;
interface Channel {
  subscribers: Set<Callback>;
  ready: Promise<() => Promise<void>>;
}

const globalForNotify = globalThis as unknown as { __runtimeChannels?: Map<string, Channel> };
const channels: Map<string, Channel> = (globalForNotify.__runtimeChannels ??= new Map());

export async function subscribe(channel: string, cb: Callback): Promise<() => void> {
  let entry = channels.get(channel);
  if (!entry) {
    const subscribers = new Set<Callback>();
    const ready = getDatabase().then((db) =>
      db.listen(channel, (payload) => {
        for (const s of subscribers) s(payload);
      }),
    );
    entry = { subscribers, ready };
    channels.set(channel, entry);
    ready.catch(() => channels.delete(channel));
  }
  entry.subscribers.add(cb);
  await entry.ready;
  const current = entry;
  return () => {
    current.subscribers.delete(cb);
  };
}

/** Tests switch databases between files; this drops the listeners bound to the old one. */
export async function resetNotifyForTests(): Promise<void> {
  const all = [...channels.values()];
  channels.clear();
  await Promise.all(all.map((c) => c.ready.then((stop) => stop()).catch(() => {})));
}
