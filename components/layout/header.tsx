import { LiveEventsIsland, SignOutIsland, UnreadIsland } from "./account-islands";
import { LiveNotice } from "./live-notice";
import { NavLinks } from "./nav-links";
import { ThemeToggle } from "./theme-toggle";

export type HeaderUser = { name: string; email: string; admin: boolean };

/**
 * Server-rendered, with small islands: the navigation (marks the current page, opens links in place), the theme
 * toggle, and for a signed-in visitor sign-out, the unread count and the live event stream (account-islands.tsx,
 * fetched only for them). Admins (OPERATOR_EMAILS) also get a link to the open disputes.
 */
export function Header({ user }: { user: HeaderUser | null }) {
  return (
    <header className="sticky top-0 z-40 border-b border-line bg-card/90 backdrop-blur">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- plain links: soft-nav.ts opens them in place */}
        <a href="/" className="flex items-center gap-2 text-base font-semibold tracking-tight sm:text-lg">
          <span aria-hidden className="grid size-7 place-items-center rounded-lg bg-accent text-sm text-accent-fg">
            AM
          </span>
          Agent Market
        </a>
        {/* Before the buttons in the source as on a wide screen, so Tab follows what the eye reads (on a phone the
            links wrap to a row of their own below). */}
        <div className="order-last w-full sm:order-none sm:w-auto">
          <NavLinks inboxBadge={user ? <UnreadIsland /> : null} />
        </div>
        <div className="ml-auto flex items-center gap-1 sm:gap-2">
          <ThemeToggle />
          {user ? <Account user={user} /> : <SignInLinks />}
        </div>
      </div>
      {user ? (
        <>
          <LiveEventsIsland />
          <LiveNotice />
        </>
      ) : null}
    </header>
  );
}

/** The signed-in visitor's menu: their settings (under their name), the disputes for an admin, and sign-out. */
function Account({ user }: { user: HeaderUser }) {
  return (
    <nav aria-label="Account" className="flex items-center gap-1 sm:gap-2">
      <a
        href="/settings"
        className="hidden max-w-40 truncate rounded-md px-2 py-1 text-sm text-muted hover:text-fg sm:block"
        title={user.email}
      >
        {user.name}
      </a>
      {user.admin ? (
        <a
          href="/admin/disputes"
          className="rounded-md px-2 py-1 text-sm font-medium text-muted hover:text-fg"
          data-testid="admin-disputes-link"
        >
          Disputes
        </a>
      ) : null}
      <SignOutIsland />
    </nav>
  );
}

function SignInLinks() {
  return (
    <>
      <a href="/signin" className="rounded-md px-2.5 py-1.5 text-sm font-medium hover:bg-subtle">
        Sign in
      </a>
      <a
        href="/signup"
        className="rounded-md bg-accent px-2.5 py-1.5 text-sm font-medium text-accent-fg hover:opacity-90"
      >
        Sign up
      </a>
    </>
  );
}
