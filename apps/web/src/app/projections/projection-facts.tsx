import type { ProjectionStatus } from '../../api/trpc';
import { Badge } from '../../ui/badge';
import { formatCount } from '../../ui/money';

/** What each read model is for: the screens that read it. */
export const purposes: Record<string, string> = {
  users: 'Users list and profiles',
  sessions: 'Who is signed in',
  event_stats: 'Event counts per type',
  wallets: 'Wallet balances',
  items: 'Items with stock and price',
  orders: 'The orders list',
  item_sales: 'Sales per item',
  articles: 'The admin’s article list',
  article_search: 'Full-text search of published articles',
  article_feed: 'RSS feed (/feed.xml)',
  article_sitemap: 'Sitemap (/sitemap.xml)',
  'role-change-notifications': 'Reacts to role changes',
};

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const stateBadges: Record<ProjectionStatus['state'], { label: string; tone: Parameters<typeof Badge>[0]['tone'] }> = {
  inline: { label: 'inline', tone: 'indigo' },
  idle: { label: 'up to date', tone: 'green' },
  running: { label: 'catching up', tone: 'amber' },
  rebuilding: { label: 'rebuilding', tone: 'indigo' },
  stopped: { label: 'no worker', tone: 'red' },
  failed: { label: 'failed', tone: 'red' },
};

export function StateBadge({ state }: { state: ProjectionStatus['state'] }) {
  const badge = stateBadges[state];
  return <Badge tone={badge.tone}>{badge.label}</Badge>;
}

export function LagText({ row }: { row: ProjectionStatus }) {
  if (row.mode === 'inline') return <span className="text-zinc-600">none, same transaction</span>;
  if (row.lag === 0) return <span className="text-zinc-700">none</span>;
  return (
    <span className="text-amber-900">
      <span className="font-medium tabular-nums">{formatCount(row.lag)}</span> {row.lag === 1 ? 'event' : 'events'}
      <span className="text-zinc-600"> · {formatSeconds(row.lagSeconds)}</span>
    </span>
  );
}
