import type { DomainEvent } from './events.ts';

/**
 * The Decider pattern: pure functions over one stream. `decide` returns the events a command
 * produces or throws a DomainError; `evolve` folds one event into the state. No I/O, no clock:
 * time and ids come in with the command.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  /** The stream type this decider owns, e.g. `user`. */
  streamType: string;
  /** The shape of State; bump it when State changes so older snapshots are ignored. Default 1. */
  stateVersion?: number;
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

/** A stream a plan reads before it decides, with the decider that folds it. */
export interface StreamRead<State = unknown> {
  decider: Decider<unknown, DomainEvent, State>;
  streamId: string;
  /** See {@link presumedNew}. */
  presumedNew?: boolean | undefined;
}

/**
 * Marks a stream that is new nearly every time (an id the caller has just made, a claim that is
 * rarely taken): a runner may decide on the initial state without loading it, because the append
 * then expects version 0 and so checks the guess. A wrong guess costs a retry, never a wrong
 * decision; a refusal or a decision that leaves the stream alone is made again on what is stored.
 */
export function presumedNew<Read extends StreamRead>(read: Read): Read {
  return { ...read, presumedNew: true };
}

export function streamRead<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  streamId: string,
): StreamRead<State> {
  return { decider: decider as unknown as Decider<unknown, DomainEvent, State>, streamId };
}

/** A stream's state as loaded, with the version (0: no events) its expected version is checked against. */
export interface LoadedStream<State = unknown> {
  state: State;
  version: number;
}

/** What a runner loaded for a plan's reads, by stream id. */
export type LoadedStreams = ReadonlyMap<string, LoadedStream>;

export function loadedOf<State>(loaded: LoadedStreams, read: StreamRead<State>): LoadedStream<State> {
  const stream = loaded.get(read.streamId);
  if (!stream) throw new Error(`stream ${read.streamId} was not read`);
  return stream as LoadedStream<State>;
}

/**
 * A plan whose commands depend on several streams at once (an order is priced from its items and
 * paid from its wallet): `related` only sees the primary's state, so this kind reads first. The
 * runner loads every stream in `reads`, calls `decide` with them, and runs the CommandPlan it
 * returns; `decide` runs again on each retry. Commands it aims at read streams pin the version
 * that was read, so a change in between is a conflict (and a retry), never a stale decision.
 */
export interface ReadingPlan {
  reads: readonly StreamRead[];
  decide(loaded: LoadedStreams): CommandPlan;
}

/** Anything a command runner accepts. */
export type Plan<PrimaryState = unknown> = CommandPlan<PrimaryState> | ReadingPlan;

export function isReadingPlan<PrimaryState>(plan: Plan<PrimaryState>): plan is ReadingPlan {
  return 'reads' in plan;
}

/** One stream's share of a decided plan, ready for `appendToStreams`. */
export interface PlannedAppend {
  streamId: string;
  streamType: string;
  expectedVersion: number;
  events: DomainEvent[];
}

export interface PlanDecision {
  primaryStreamId: string;
  /** Streams with new events, in the order the plan names them; a refused plan throws instead. */
  appends: PlannedAppend[];
  /**
   * The streams whose state the decision depended on: every command's, and the reads `decide`
   * looked at. A read it never looked at (a fallback slug when the preferred one was free) could
   * not change the outcome, so a runner need not check the state it had for it.
   */
  consulted: ReadonlySet<string>;
}

export type StreamLoader = (read: StreamRead) => LoadedStream | Promise<LoadedStream>;

/**
 * What a plan decides, given a way to load streams: the semantics every runner shares (reads
 * first, primary then related, each stream loaded once, all or nothing). In-memory tests run
 * plans through it; a database runner may too, appending the result in one transaction. A pinned
 * `expectedVersion` is passed on as is, so a stale one fails at the append, as a conflict.
 */
export async function decidePlan<PrimaryState>(plan: Plan<PrimaryState>, load: StreamLoader): Promise<PlanDecision> {
  // Promises, so streams load concurrently and a stream named twice still loads once.
  const loading = new Map<string, Promise<LoadedStream>>();
  const loadOnce = (read: StreamRead): Promise<LoadedStream> => {
    let stream = loading.get(read.streamId);
    if (!stream) {
      stream = Promise.resolve(load(read));
      loading.set(read.streamId, stream);
    }
    return stream;
  };
  const consulted = new Set<string>();
  let commandPlan: CommandPlan<PrimaryState>;
  if (isReadingPlan(plan)) {
    const streams = await Promise.all(plan.reads.map(loadOnce));
    // What `decide` built from the reads only ever sees its own primary's state.
    const reads = new Map(plan.reads.map((read, i) => [read.streamId, streams[i] as LoadedStream]));
    commandPlan = plan.decide(consultedView(reads, consulted)) as CommandPlan<PrimaryState>;
  } else {
    commandPlan = plan;
  }
  const primary = await loadOnce(commandPlan.primary);
  const commands = [commandPlan.primary, ...(commandPlan.related?.(primary.state as PrimaryState) ?? [])];
  if (new Set(commands.map((c) => c.streamId)).size !== commands.length) {
    throw new Error('a command plan may name each stream once');
  }
  const states = await Promise.all(commands.map(loadOnce));
  for (const command of commands) consulted.add(command.streamId);
  const appends: PlannedAppend[] = [];
  for (const [i, command] of commands.entries()) {
    const { state, version } = states[i] as LoadedStream;
    const events = command.decider.decide(command.command, state);
    if (events.length === 0) continue;
    appends.push({
      streamId: command.streamId,
      streamType: command.decider.streamType,
      expectedVersion: command.expectedVersion ?? version,
      events,
    });
  }
  return { primaryStreamId: commandPlan.primary.streamId, appends, consulted };
}

/**
 * The loaded reads as `decide` sees them, noting in `consulted` each stream it looks at; going
 * through them all (iterating) counts as looking at every one.
 */
function consultedView(reads: ReadonlyMap<string, LoadedStream>, consulted: Set<string>): LoadedStreams {
  const all = () => {
    for (const streamId of reads.keys()) consulted.add(streamId);
    return reads;
  };
  return {
    get(streamId) {
      consulted.add(streamId);
      return reads.get(streamId);
    },
    has: (streamId) => reads.has(streamId),
    get size() {
      return reads.size;
    },
    forEach: (callback, thisArg) => all().forEach(callback, thisArg),
    entries: () => all().entries(),
    keys: () => reads.keys(),
    values: () => all().values(),
    [Symbol.iterator]: () => all()[Symbol.iterator](),
  };
}
