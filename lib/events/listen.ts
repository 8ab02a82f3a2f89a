import "server-only";
import type { Database } from "@/db/client";

/**
 * Postgres LISTEN, shared: one connection per channel per database per process, fanned out to every consumer
 * in the process (the event hub, the data version, execution streams). The connection opens with the first
 * subscriber and is released when the last one leaves. When it drops, the database layer reconnects with backoff
 * (db/client.ts): subscribers are told `onLost`, then get one empty notification once it is back ("read again").
 * A notification only wakes readers; they read the tables, so a lost one costs latency, never data.
 */
export interface ChannelListener {
  onNotify: (payload: string) => void;
  /** The connection dropped; notifications may be missed until the empty one that follows the reconnect. */
  onLost?: () => void;
}

interface Channel {
  listeners: Set<ChannelListener>;
  /** Resolves to the function that ends the LISTEN. */
  ready: Promise<() => Promise<void>>;
  /** Between a drop and the reconnect: a listener joining now is told at once. */
  lost: boolean;
}

// On globalThis, so that hot reloads and every route module share the connections.
const globalForListen = globalThis as unknown as { __agentMarketListen?: WeakMap<Database, Map<string, Channel>> };
const byDatabase: WeakMap<Database, Map<string, Channel>> = (globalForListen.__agentMarketListen ??= new WeakMap());

function open(database: Database, channels: Map<string, Channel>, name: string): Channel {
  const channel: Channel = { listeners: new Set(), lost: false, ready: null! };
  channel.ready = database.listen(
    name,
    (payload) => {
      if (!payload) channel.lost = false;
      for (const l of [...channel.listeners]) l.onNotify(payload);
    },
    () => {
      channel.lost = true;
      for (const l of [...channel.listeners]) l.onLost?.();
    },
  );
  // A failed LISTEN is not kept: the next subscriber tries again.
  channel.ready.catch(() => {
    if (channels.get(name) === channel) channels.delete(name);
  });
  channels.set(name, channel);
  return channel;
}

/**
 * Subscribes to a channel; resolves once the LISTEN is in place (so a commit after this is notified), to the
 * function that unsubscribes. Rejects when the LISTEN cannot be set up.
 */
export async function listen(
  database: Database,
  name: string,
  listener: ChannelListener,
): Promise<() => Promise<void>> {
  let channels = byDatabase.get(database);
  if (!channels) byDatabase.set(database, (channels = new Map()));
  const channel = channels.get(name) ?? open(database, channels, name);
  channel.listeners.add(listener);
  try {
    await channel.ready;
  } catch (err) {
    channel.listeners.delete(listener);
    throw err;
  }
  if (channel.lost) listener.onLost?.();
  let done = false;
  return async () => {
    if (done) return;
    done = true;
    channel.listeners.delete(listener);
    if (channel.listeners.size > 0 || channels.get(name) !== channel) return;
    channels.delete(name);
    const stop = await channel.ready.catch(() => null);
    await stop?.();
  };
}
