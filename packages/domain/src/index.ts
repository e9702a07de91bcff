export * from './identity/index.ts';
export * from './kernel/index.ts';
