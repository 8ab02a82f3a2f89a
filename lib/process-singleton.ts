/**
 * One long-running service per process (the deployment controller, the execution worker, the schedules), kept on
 * `globalThis` so that hot reloads and every route module share it. `start` starts it once; a start that fails is
 * forgotten, so the next call tries again. `stop` forgets it and stops it, if it ever started.
 */
export function processSingleton<T extends { stop(): Promise<unknown> }, O = undefined>(
  key: string,
  create: (opts?: O) => Promise<T>,
): { start(opts?: O): Promise<T>; stop(): Promise<void> } {
  const slots = globalThis as unknown as Record<string, Promise<T> | undefined>;
  return {
    start(opts) {
      const current = slots[key];
      if (current) return current;
      const starting = create(opts);
      starting.catch(() => {
        if (slots[key] === starting) slots[key] = undefined;
      });
      slots[key] = starting;
      return starting;
    },
    async stop() {
      const current = slots[key];
      slots[key] = undefined;
      await (await current?.catch(() => undefined))?.stop();
    },
  };
}
