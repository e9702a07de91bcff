import { expect } from 'vitest';
import { type Decider, DomainError, type DomainEvent, fold } from '../src/index.ts';

/** Given events, when a command, then events or a domain error — the shape of every rule test. */
export function given<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  history: Event[] = [],
) {
  return {
    when(command: Command) {
      const run = () => decider.decide(command, fold(decider, history));
      return {
        thenEmits(expected: Event[]) {
          expect(run()).toEqual(expected);
        },
        thenFails(code: string) {
          let error: unknown;
          try {
            run();
          } catch (e) {
            error = e;
          }
          expect(error, `expected ${code}`).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe(code);
        },
      };
    },
  };
}
