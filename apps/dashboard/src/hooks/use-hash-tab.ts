import { useEffect, useState } from 'react';

/** The page's views; the URL hash names the open one, so a reload or a link keeps it. */
export const TABS = ['overview', 'logs', 'keys', 'teams'] as const;
export type Tab = (typeof TABS)[number];

const fromHash = (): Tab => {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (TABS as readonly string[]).includes(name) ? (name as Tab) : 'overview';
};

/** The open tab, following the hash (back and forward work). */
export function useHashTab(): [Tab, (tab: Tab) => void] {
  const [tab, setTab] = useState<Tab>(fromHash);
  useEffect(() => {
    const onHash = () => setTab(fromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return [tab, (next) => (window.location.hash = next)];
}
