/**
 * The id in a stream name made of `prefix` and that id (`user-` + a user id). A name without the
 * prefix is returned whole. Each context's `streams.ts` names its prefixes both ways: `userStream`
 * makes the name, `userIdOfStream` reads the id back.
 */
export const idInStream = (prefix: string, streamId: string) =>
  streamId.startsWith(prefix) ? streamId.slice(prefix.length) : streamId;
