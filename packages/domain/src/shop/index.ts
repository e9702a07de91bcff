export * from './events.ts';
export * from './inputs.ts';
export * from './item-decider.ts';
export * from './order-decider.ts';
export * from './plans.ts';
export * from './projector.ts';
export * from './values.ts';
export * from './wallet-decider.ts';
