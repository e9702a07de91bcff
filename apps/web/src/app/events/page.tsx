import type { Metadata } from 'next';
import { EventLogScreen, type LogFilters } from './event-log-screen';

export const metadata: Metadata = { title: 'Events' };

export default async function EventsPage({ searchParams }: PageProps<'/events'>) {
  const params = await searchParams;
  const read = (name: keyof LogFilters) => {
    const value = params[name];
    return (Array.isArray(value) ? value[0] : value) ?? '';
  };
  const initial: LogFilters = {
    type: read('type'),
    streamType: read('streamType'),
    streamId: read('streamId'),
    actorId: read('actorId'),
    from: read('from'),
    to: read('to'),
  };
  return <EventLogScreen initialFilters={initial} />;
}
