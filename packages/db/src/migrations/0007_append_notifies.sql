-- strata_append_batch announces its own appends. Until now every batch was followed by a separate
-- `select pg_notify(...)` from the client: a second statement, round trip and commit per batch,
-- which at concurrency 8 cost the client ~30 µs per append and a backend as much again. NOTIFY is
-- transactional, so sent here it reaches listeners exactly when the events commit, never before.
-- The price is that notifying commits queue for one lock (PostgreSQL's notify queue); with one
-- batch in flight per process that is a queue of one per process, not one per append.
-- p_batch gains `notify: true` for callers that want it (PGlite's listeners are in-process calls).
-- Also: the stream locks are taken here directly, not through strata_lock_streams (which stays for
-- the command runner), saving a nested function call per batch; the lock order is the same.
-- The batch and its answer are as 0004_append_batch describes.
CREATE OR REPLACE FUNCTION strata_append_batch(p_batch jsonb) RETURNS jsonb LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  v_requests jsonb := p_batch->'requests';
  v_command_ids text[];
  v_claimed text[] := '{}';
  v_skipped int[] := '{}';     -- requests (0-based) whose command id already committed
  v_duplicates jsonb := '{}';
  v_conflicts jsonb;
  v_results jsonb := '{}';
  v_pair_i int[];              -- accepted (request, stream) pairs and the version before them
  v_pair_j int[];
  v_pair_base int[];
  v_new_ids text[];            -- streams the accepted requests start
  v_new_types text[];
  v_new_versions int[];
  v_moved_ids text[];          -- streams that existed and the accepted requests move on
  v_moved_versions int[];
  v_once boolean;
  v_rows int;
BEGIN
  IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
    RAISE EXCEPTION USING ERRCODE = '55000',
      MESSAGE = 'append before any other write in a transaction: its id would order these events wrongly';
  END IF;
  PERFORM pg_advisory_xact_lock(k)
     FROM (SELECT DISTINCT hashtextextended('strata:stream:' || id, 0) AS k
             FROM jsonb_array_elements_text(p_batch->'streamIds') AS id ORDER BY 1) AS keys;

  -- 1. Claim the command ids, sorted so two batches never wait on each other in a circle. A
  --    concurrent twin blocks here until the first commits (its result is then read back) or
  --    rolls back (then this one goes ahead).
  v_command_ids := ARRAY(SELECT r->>'commandId' FROM jsonb_array_elements(v_requests) r
                          WHERE r ? 'commandId' ORDER BY 1);
  IF cardinality(v_command_ids) > 0 THEN
    WITH claimed AS (
      INSERT INTO command_results (command_id, result)
      SELECT id, 'null'::jsonb FROM unnest(v_command_ids) id
      ON CONFLICT DO NOTHING RETURNING command_id)
    SELECT coalesce(array_agg(command_id), '{}') INTO v_claimed FROM claimed;
    IF cardinality(v_claimed) < cardinality(v_command_ids) THEN
      SELECT coalesce(array_agg(t.i - 1), '{}'),
             coalesce(jsonb_object_agg(t.i - 1, c.result), '{}')
        INTO v_skipped, v_duplicates
        FROM jsonb_array_elements(v_requests) WITH ORDINALITY AS t(req, i)
        JOIN command_results c ON c.command_id = t.req->>'commandId'
       WHERE NOT c.command_id = ANY(v_claimed);
    END IF;
  END IF;

  -- 2. Read the named streams' versions (a stream without a row is at version 0; the locks above
  --    keep them still) and judge every (request, stream) pair against them. A request is
  --    accepted when all its pairs are; a refused one answers with its first conflict.
  WITH pairs AS (
    SELECT (r.i - 1)::int AS i, (s.j - 1)::int AS j, s.value->>'streamId' AS stream_id,
           s.value->>'streamType' AS stream_type, s.value->'expected' AS expected,
           jsonb_array_length(s.value->'events') AS events
      FROM jsonb_array_elements(v_requests) WITH ORDINALITY AS r(req, i)
     CROSS JOIN LATERAL jsonb_array_elements(r.req->'streams') WITH ORDINALITY AS s(value, j)
     WHERE NOT (r.i - 1)::int = ANY(v_skipped)),
  locked AS MATERIALIZED (
    SELECT stream_id, version FROM streams
     WHERE stream_id = ANY(ARRAY(SELECT jsonb_array_elements_text(p_batch->'streamIds')))),
  judged AS (
    SELECT p.*, l.stream_id IS NOT NULL AS existed, coalesce(l.version, 0) AS actual,
           CASE WHEN p.expected = '"any"'::jsonb THEN true
                WHEN p.expected = '"none"'::jsonb THEN coalesce(l.version, 0) = 0
                ELSE (p.expected)::int = coalesce(l.version, 0) END AS ok
      FROM pairs p LEFT JOIN locked l USING (stream_id)),
  verdicts AS (
    SELECT j.*, bool_and(j.ok) OVER w AS accepted, min(j.j) FILTER (WHERE NOT j.ok) OVER w AS first_failure
      FROM judged j WINDOW w AS (PARTITION BY j.i) ORDER BY j.i, j.j)
  -- The rows come in (request, stream) order, and the arrays keep it.
  SELECT count(DISTINCT stream_id) = count(*),
         coalesce(jsonb_object_agg(i, jsonb_build_object('streamId', stream_id, 'expected', expected, 'actual', actual))
                  FILTER (WHERE j = first_failure), '{}'),
         coalesce(array_agg(i) FILTER (WHERE accepted), '{}'),
         coalesce(array_agg(j) FILTER (WHERE accepted), '{}'),
         coalesce(array_agg(actual) FILTER (WHERE accepted), '{}'),
         coalesce(array_agg(stream_id) FILTER (WHERE accepted AND NOT existed), '{}'),
         coalesce(array_agg(stream_type) FILTER (WHERE accepted AND NOT existed), '{}'),
         coalesce(array_agg(actual + events) FILTER (WHERE accepted AND NOT existed), '{}'),
         coalesce(array_agg(stream_id) FILTER (WHERE accepted AND existed), '{}'),
         coalesce(array_agg(actual + events) FILTER (WHERE accepted AND existed), '{}')
    INTO v_once, v_conflicts, v_pair_i, v_pair_j, v_pair_base, v_new_ids, v_new_types, v_new_versions,
         v_moved_ids, v_moved_versions
    FROM verdicts;
  IF NOT v_once THEN
    RAISE EXCEPTION 'strata_append_batch: a stream may appear in one request of a batch only';
  END IF;

  -- 3. Start the new streams and move the others on.
  IF cardinality(v_new_ids) > 0 THEN
    -- The locks keep other writers out; should one have gone around them, start again.
    INSERT INTO streams (stream_id, stream_type, version)
    SELECT * FROM unnest(v_new_ids, v_new_types, v_new_versions) AS n(stream_id, stream_type, version)
     ORDER BY stream_id
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    IF v_rows < cardinality(v_new_ids) THEN
      RAISE EXCEPTION USING ERRCODE = '40001',
        MESSAGE = 'strata_append_batch: another transaction started one of these streams first; try again';
    END IF;
  END IF;
  IF cardinality(v_moved_ids) > 0 THEN
    UPDATE streams s SET version = m.version, updated_at = now()
      FROM unnest(v_moved_ids, v_moved_versions) AS m(stream_id, version)
     WHERE s.stream_id = m.stream_id;
  END IF;

  -- 4. The events, in request, stream and event order, and each accepted request's result.
  IF cardinality(v_pair_i) > 0 THEN
    WITH inserted AS (
      INSERT INTO events (stream_id, stream_type, version, event_id, type, schema_version, data, metadata)
      SELECT x.stream->>'streamId', x.stream->>'streamType', p.base + e.ord::int,
             coalesce((e.value->>'eventId')::uuid, gen_random_uuid()), e.value->>'type',
             (e.value->>'schemaVersion')::int, e.value->'data', coalesce(e.value->'metadata', '{}'::jsonb)
        FROM unnest(v_pair_i, v_pair_j, v_pair_base) WITH ORDINALITY AS p(i, j, base, k)
       CROSS JOIN LATERAL (SELECT v_requests->p.i->'streams'->p.j AS stream) x
       CROSS JOIN LATERAL jsonb_array_elements(x.stream->'events') WITH ORDINALITY AS e(value, ord)
       ORDER BY p.k, e.ord
      RETURNING stream_id, version, position),
    per_stream AS (
      SELECT stream_id, max(version) AS version, min(position) AS first_position,
             max(position) AS last_position
        FROM inserted GROUP BY stream_id),
    per_request AS (
      SELECT p.i, jsonb_build_object(
               'streams', jsonb_agg(jsonb_build_object(
                 'streamId', s.stream_id, 'version', s.version,
                 'firstPosition', s.first_position, 'lastPosition', s.last_position) ORDER BY p.j),
               'position', max(s.last_position),
               'transactionId', pg_current_xact_id()::text,
               'recordedAt', now()) AS result
        FROM unnest(v_pair_i, v_pair_j) AS p(i, j)
        JOIN per_stream s ON s.stream_id = v_requests->p.i->'streams'->p.j->>'streamId'
       GROUP BY p.i)
    SELECT jsonb_object_agg(i, result) INTO v_results FROM per_request;
  END IF;

  -- 5. A command keeps its first result; the ids of the ones refused are given back.
  IF cardinality(v_claimed) > 0 THEN
    UPDATE command_results c SET result = v_results->((t.i - 1)::text)
      FROM jsonb_array_elements(v_requests) WITH ORDINALITY AS t(req, i)
     WHERE c.command_id = t.req->>'commandId' AND v_results ? ((t.i - 1)::text);
    DELETE FROM command_results WHERE command_id = ANY(v_claimed) AND result = 'null'::jsonb;
  END IF;
  IF p_batch->'notify' = 'true'::jsonb AND v_results <> '{}'::jsonb THEN
    PERFORM pg_notify('strata_events', '');
  END IF;
  RETURN jsonb_build_object('results', v_results, 'conflicts', v_conflicts, 'duplicates', v_duplicates);
END
$$;
