export * from './article-decider.ts';
export * from './events.ts';
export * from './feeds.ts';
export * from './inputs.ts';
export * from './plans.ts';
export * from './projector.ts';
export * from './slug-decider.ts';
export * from './values.ts';
