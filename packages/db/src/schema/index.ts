export * from './events.ts';
export * from './identity.ts';
export * from './personal-data.ts';
export * from './projections.ts';
export * from './publishing.ts';
export * from './shop.ts';
export * from './stream-tickets.ts';
