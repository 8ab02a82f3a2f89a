/*
 * Says that live updates are paused or stopped, from <html data-live> that live-events.tsx keeps: "reconnecting"
 * (an attempt failed: a drop, or the first connection) or "closed" (the stream gave up, e.g. on a 4xx). CSS alone
 * shows it, so it costs no JavaScript and is there even when the network (and any further chunk) is not.
 */

export function LiveNotice() {
  return (
    <div role="status" className="pointer-events-none fixed inset-x-0 bottom-3 z-50 flex justify-center">
      <p
        data-testid="live-lost"
        className="pointer-events-auto hidden rounded-full border border-line bg-card px-4 py-2 text-sm shadow-lg [html[data-live=closed]_&]:block [html[data-live=reconnecting]_&]:block"
      >
        <span aria-hidden className="mr-2 inline-block size-2 rounded-full bg-warn" />
        <span className="hidden [html[data-live=reconnecting]_&]:inline">
          Connection lost: reconnecting… Live updates are paused.
        </span>
        <span className="hidden [html[data-live=closed]_&]:inline">
          Live updates stopped. Reload the page to see new activity.
        </span>
      </p>
    </div>
  );
}
