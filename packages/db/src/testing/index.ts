export * from './engines.ts';
export * from './wait-for.ts';
