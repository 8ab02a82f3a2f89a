"use client";

/** Says that live updates are paused (reconnecting) or stopped (`closed`); live-events.tsx shows it. */
export default function LiveNotice({ closed }: { closed: boolean }) {
  return (
    <div role="status" className="pointer-events-none fixed inset-x-0 bottom-3 z-50 flex justify-center">
      <p
        data-testid="live-lost"
        className="pointer-events-auto rounded-full border border-line bg-card px-4 py-2 text-sm shadow-lg"
      >
        <span aria-hidden className="mr-2 inline-block size-2 rounded-full bg-warn" />
        {closed
          ? "Live updates stopped. Reload the page to see new activity."
          : "Connection lost: reconnecting… Live updates are paused."}
      </p>
    </div>
  );
}
