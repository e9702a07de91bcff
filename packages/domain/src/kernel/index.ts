export * from './decider.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './inputs.ts';
export * from './projector.ts';
export * from './streams.ts';
export * from './text.ts';
