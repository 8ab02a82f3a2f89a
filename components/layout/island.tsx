import { lazy, Suspense, type ComponentType } from "react";

/**
 * A client component whose code is a chunk of its own, fetched only when a page renders it (so it is not part of any
 * page's first load). The server renders it in full (the import resolves during the server render); in the browser
 * the server's HTML stays until the chunk has arrived, then hydrates. For "use client" modules only.
 */
export function island<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  const Lazy = lazy(() => load().then((c) => ({ default: c })));
  return function Island(props: P) {
    return (
      <Suspense fallback={null}>
        <Lazy {...props} />
      </Suspense>
    );
  };
}
