import type { DomainEvent } from './events.ts';

/**
 * The Decider pattern: pure functions over one stream. `decide` returns the events a command
 * produces or throws a DomainError; `evolve` folds one event into the state. No I/O, no clock:
 * time and ids come in with the command.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  /** The stream type this decider owns, e.g. `user`. */
  streamType: string;
  initialState(): State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Event[];
}

/** Folds events from the initial state. */
export function fold<Event extends DomainEvent, State>(
  decider: Pick<Decider<unknown, Event, State>, 'initialState' | 'evolve'>,
  events: readonly Event[],
  from: State = decider.initialState(),
): State {
  return events.reduce((state, event) => decider.evolve(state, event), from);
}

/** A command aimed at one stream, with the decider that owns it. */
export interface StreamCommand<Command = unknown, Event extends DomainEvent = DomainEvent, State = unknown> {
  decider: Decider<Command, Event, State>;
  streamId: string;
  command: Command;
  /** The caller's expected version; without it the loaded version is used (and retried). */
  expectedVersion?: number | undefined;
}

export function streamCommand<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  streamId: string,
  command: Command,
  expectedVersion?: number,
): StreamCommand {
  return { decider, streamId, command, expectedVersion } as unknown as StreamCommand;
}

/**
 * What one request does: a command on a primary stream and, decided from the primary stream's
 * current state, commands on related streams. All are appended in one transaction or none is.
 */
export interface CommandPlan<PrimaryState = unknown> {
  primary: StreamCommand;
  related?: (primaryState: PrimaryState) => StreamCommand[];
}
