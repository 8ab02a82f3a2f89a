/**
 * Client-side navigation for plain links and GET forms. Server components render `<a href>` (not next/link, whose
 * client code would be a few kB of every page's first load); once the page is up, this one delegated listener opens
 * same-site page links through the app router, as next/link would, and prefetches them on hover or focus. Links it
 * leaves to the browser: modified or non-left clicks, `target`, `download`, `data-hard`, other origins, /api/ and
 * files (a dot in the last segment), a hash on the current page, and any click a handler already took (next/link's).
 */
type Router = { push(href: string): void; prefetch(href: string): void };

function pageHref(e: Event): string | null {
  const a = e.target instanceof Element ? e.target.closest("a") : null;
  if (!a || !a.href || a.target || a.hasAttribute("download") || a.hasAttribute("data-hard")) return null;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith("/api/") || /\.[^/]*$/.test(url.pathname)) return null;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return null;
  return url.pathname + url.search + url.hash;
}

export function installSoftNav(router: Router): () => void {
  const prefetched = new Set<string>();
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const href = pageHref(e);
    if (!href) return;
    e.preventDefault();
    router.push(href);
  };
  // A GET form (browse's filters) submits in place too: the URL the browser would have built, opened by the router.
  const onSubmit = (e: SubmitEvent) => {
    const form = e.target;
    if (e.defaultPrevented || !(form instanceof HTMLFormElement) || form.method !== "get" || form.target) return;
    const url = new URL(form.action, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith("/api/") || form.hasAttribute("data-hard")) return;
    const fields = new FormData(form, e.submitter);
    url.search = new URLSearchParams([...fields].map(([k, v]) => [k, String(v)])).toString();
    e.preventDefault();
    router.push(url.pathname + url.search);
  };
  const onIntent = (e: Event) => {
    const href = pageHref(e);
    if (!href || prefetched.has(href)) return;
    prefetched.add(href);
    router.prefetch(href);
  };
  // On window, so that React's handlers (on the document) run first and a link that handles itself is left alone.
  window.addEventListener("click", onClick);
  window.addEventListener("submit", onSubmit);
  window.addEventListener("pointerover", onIntent);
  window.addEventListener("focusin", onIntent);
  return () => {
    window.removeEventListener("click", onClick);
    window.removeEventListener("submit", onSubmit);
    window.removeEventListener("pointerover", onIntent);
    window.removeEventListener("focusin", onIntent);
  };
}
