export * from './access-deciders.ts';
export * from './events.ts';
export * from './inputs.ts';
export * from './plans.ts';
export * from './projector.ts';
export * from './registry-deciders.ts';
export * from './user-decider.ts';
export * from './values.ts';
