import { useEffect, useState, type MouseEvent } from 'react';

/** Client-side routes below /dashboard; the service answers every such path with index.html. */
export const ROUTES = {
  home: '/dashboard/',
  settings: '/dashboard/settings',
  apiKeys: '/dashboard/settings/api-keys',
} as const;

const EVENT = 'tunetrail:navigate';

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(EVENT));
}

/** Follows a link in the app without a page load (new-tab clicks keep the browser's behaviour). */
export function followLink(event: MouseEvent<HTMLAnchorElement>): void {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(event.currentTarget.pathname);
}

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    window.addEventListener('popstate', update);
    window.addEventListener(EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(EVENT, update);
    };
  }, []);
  return path.replace(/\/+$/, '') || '/';
}
