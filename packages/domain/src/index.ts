export * from './catalog.ts';
export * from './identity/index.ts';
export * from './kernel/index.ts';
export * from './publishing/index.ts';
export * from './shop/index.ts';
