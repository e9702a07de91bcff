-- The one append path, leaner: strata_append_events replaces strata_append_batch. Same batch, same
-- guarantees; what changed is how much machinery a call sets going. strata_append_batch ran seven
-- statements full of jsonb navigation, window functions and aggregates, and built every answer as
-- jsonb: at 8 one-event appends a call cost ~0.45 ms more than inserting the same rows, and a
-- profile put 70% of the function's time in setting up executor nodes rather than in writing.
-- Now: the locks, then one statement. The batch arrives as typed arrays (one element per
-- (request, stream) pair, or per event), the answer leaves as one row per pair, and the client
-- assembles results from them. Only a command id's stored result is still built here, because it
-- must commit with the events.
--
-- Pairs (1-based, in request and stream order): p_stream_ids, p_stream_types, p_expected (NULL:
-- any; 0: none; n: exactly n), p_requests (the pair's request, 1-based), p_counts (its events).
-- Events (in pair and event order): p_event_ids (NULL: a new one), p_types, p_schema_versions,
-- p_data and p_metadata (jsonb arrays). Requests: p_command_ids (NULL: none). p_notify: NOTIFY
-- the events channel with the commit (PGlite's listeners are in-process calls instead).
-- A stream appears in one pair of a batch at most, and a command id in one request: callers hold
-- the second back for the next batch, so every pair is judged against the versions before it.
--
-- Returns one row per pair, in order: `actual` (the stream's version before), the positions it
-- got (NULL when its request wrote nothing), `duplicate` (the first result of a command id that
-- already committed), and for written pairs the transaction id and recorded-at time. A request is
-- written when all its pairs match; otherwise its first mismatch is the conflict.
--
-- Locks first, in their own statement: the big statement's snapshot is then taken with the streams
-- held, so it reads their current versions, and the transaction takes its id only once it holds
-- every stream (transaction ids follow each stream's versions; see 0004). A command id that a
-- concurrent batch is committing is caught by command_results' primary key (23505) after its
-- twin commits; the batch then runs again and answers with the twin's result. The ids are
-- inserted sorted, so two batches never wait on each other in a circle.
--
-- The function also announces its appends (p_notify). Every batch used to be followed by a separate
-- `select pg_notify(...)` from the client: a second round trip and commit per batch, which at
-- concurrency 8 cost the client ~30 µs per append and a backend as much again. NOTIFY is
-- transactional, so sent here it reaches listeners exactly when the events commit. The price is
-- that notifying commits queue for one lock (PostgreSQL's notify queue); with one batch in flight
-- per process that is a queue of one per process, not one per append.
DROP FUNCTION strata_append_batch(jsonb);
--> statement-breakpoint
CREATE FUNCTION strata_append_events(
  p_stream_ids text[], p_stream_types text[], p_expected int[], p_requests int[], p_counts int[],
  p_event_ids uuid[], p_types text[], p_schema_versions int[], p_data jsonb, p_metadata jsonb,
  p_command_ids text[], p_notify boolean)
RETURNS TABLE (pair int, actual int, first_position bigint, last_position bigint, duplicate jsonb,
               transaction_id text, recorded_at text)
LANGUAGE plpgsql
-- Planned once per connection, not on every call: custom plans for array parameters cost more
-- than the call itself.
SET plan_cache_mode = force_generic_plan AS $$
#variable_conflict use_column
-- (The answer's column names are not variables inside the query.)
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '55000',
      MESSAGE = 'append before any other write in a transaction: its id would order these events wrongly';
  END IF;
  PERFORM pg_advisory_xact_lock(k)
     FROM (SELECT DISTINCT hashtextextended('strata:stream:' || id, 0) AS k
             FROM unnest(p_stream_ids) AS id ORDER BY 1) AS keys;

  RETURN QUERY
  -- Lookups as subqueries on the keys, not joins: the plan is made once per connection, often while
  -- the tables are still empty, and a join planned then scans the whole table for ever after.
  WITH looked_up AS MATERIALIZED (
    SELECT p.k::int AS k, p.req, p.stream_id, p.stream_type, p.expected, p.n,
           -- Where the pair's events start in the event arrays.
           (sum(p.n) OVER (ORDER BY p.k) - p.n)::int AS events_before,
           (SELECT s.version FROM streams s WHERE s.stream_id = p.stream_id) AS version,
           (SELECT c.result FROM command_results c WHERE c.command_id = p_command_ids[p.req]) AS done
      FROM unnest(p_stream_ids, p_stream_types, p_expected, p_requests, p_counts)
           WITH ORDINALITY AS p(stream_id, stream_type, expected, req, n, k)),
  judged AS MATERIALIZED (
    SELECT l.*, l.version IS NOT NULL AS existed, coalesce(l.version, 0) AS actual,
           l.done IS NULL
             AND bool_and(l.expected IS NULL OR l.expected = coalesce(l.version, 0)) OVER (PARTITION BY l.req) AS accepted
      FROM looked_up l),
  started AS (
    INSERT INTO streams (stream_id, stream_type, version)
    SELECT j.stream_id, j.stream_type, j.actual + j.n FROM judged j WHERE j.accepted AND NOT j.existed),
  moved AS (
    UPDATE streams s SET version = j.actual + j.n, updated_at = now()
      FROM judged j WHERE j.accepted AND j.existed AND s.stream_id = j.stream_id),
  inserted AS (
    INSERT INTO events (stream_id, stream_type, version, event_id, type, schema_version, data, metadata)
    SELECT j.stream_id, j.stream_type, j.actual + e.i,
           coalesce(p_event_ids[j.events_before + e.i], gen_random_uuid()),
           p_types[j.events_before + e.i], p_schema_versions[j.events_before + e.i],
           p_data -> (j.events_before + e.i - 1), p_metadata -> (j.events_before + e.i - 1)
      FROM judged j CROSS JOIN LATERAL generate_series(1, j.n) AS e(i)
     WHERE j.accepted
     ORDER BY j.k, e.i
    RETURNING events.stream_id, events.position),
  answered AS MATERIALIZED (
    SELECT j.k, j.req, j.stream_id, j.actual, j.n, j.accepted, j.done, w.first_position, w.last_position
      FROM judged j
      LEFT JOIN (SELECT i.stream_id, min(i.position) AS first_position, max(i.position) AS last_position
                   FROM inserted i GROUP BY i.stream_id) AS w ON w.stream_id = j.stream_id),
  claimed AS (
    INSERT INTO command_results (command_id, result)
    SELECT p_command_ids[a.req], jsonb_build_object(
             'streams', jsonb_agg(jsonb_build_object('streamId', a.stream_id, 'version', a.actual + a.n,
                                  'firstPosition', a.first_position, 'lastPosition', a.last_position) ORDER BY a.k),
             'position', max(a.last_position), 'transactionId', pg_current_xact_id()::text, 'recordedAt', now())
      FROM answered a
     WHERE a.accepted AND p_command_ids[a.req] IS NOT NULL
     GROUP BY a.req
     ORDER BY p_command_ids[a.req])
  SELECT a.k, a.actual, a.first_position, a.last_position, a.done,
         CASE WHEN a.accepted THEN pg_current_xact_id()::text END,
         CASE WHEN a.accepted THEN to_jsonb(now()) #>> '{}' END
    FROM answered a
   ORDER BY a.k;

  -- Sent with the commit, so listeners hear only of committed events. (A batch of nothing but
  -- conflicts wakes them for nothing, which costs them one read.)
  IF p_notify THEN
    PERFORM pg_notify('strata_events', '');
  END IF;
END
$$;
