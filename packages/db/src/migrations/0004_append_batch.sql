-- The one append path, now for a batch of independent append requests in one statement, so that
-- concurrent writers share one round trip and one commit (group commit) instead of queueing for
-- theirs. Each request is judged on its own: a conflict or an already committed command id answers
-- that request and leaves the others alone, and nothing is written for it.
--
-- p_requests: [{ commandId?, streams: [{ streamId, streamType, expected: "any" | "none" | int,
--                events: [{ eventId?, type, schemaVersion, data, metadata }] }] }]
--             (callers never put one command id twice in a batch, nor one stream twice in a request)
-- Returns one outcome per request, in order, either
--   { streams: [{ streamId, version, firstPosition, lastPosition }], position, transactionId,
--     recordedAt, duplicate }
-- or { conflict: { streamId, expected, actual } }.
--
-- No NOTIFY here: PostgreSQL serialises the commits of every transaction that notified. Writers
-- announce appends after commit instead.
DROP FUNCTION strata_append(jsonb);
--> statement-breakpoint
CREATE FUNCTION strata_append_batch(p_requests jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_count int := jsonb_array_length(p_requests);
  v_outcomes jsonb[] := array_fill(NULL::jsonb, ARRAY[v_count]);
  v_command_ids text[] := '{}';
  v_claimed text[] := '{}';
  v_live int[] := '{}';       -- requests (0-based) that are not duplicates
  v_ids text[];               -- the streams the live requests touch
  v_base jsonb := '{}';       -- versions of the touched streams that existed before, locked
  v_versions jsonb;           -- versions as the batch is judged, request by request
  v_created text[] := '{}';   -- stream rows this call inserted
  v_inserted text[];
  v_raced text[];
  v_rounds int := 0;
  v_plan jsonb;               -- accepted (request, stream) pairs with their version before
  v_accepted int[];
  v_request jsonb;
  v_stream jsonb;
  v_stream_id text;
  v_expected jsonb;
  v_current int;
  v_conflict jsonb;
  v_results jsonb;
  v_i int;
  v_j int;
  v_command_id text;
BEGIN
  -- 1. Claim command ids, sorted so two batches never wait on each other in a circle. A concurrent
  --    twin blocks here until the first commits (then its result is read back) or rolls back.
  FOR v_i IN 0 .. v_count - 1 LOOP
    v_command_id := p_requests->v_i->>'commandId';
    IF v_command_id IS NOT NULL THEN v_command_ids := v_command_ids || v_command_id; END IF;
  END LOOP;
  IF cardinality(v_command_ids) > 0 THEN
    WITH claimed AS (
      INSERT INTO command_results (command_id, result)
      SELECT id, 'null'::jsonb FROM unnest(v_command_ids) id ORDER BY id
      ON CONFLICT DO NOTHING RETURNING command_id)
    SELECT coalesce(array_agg(command_id), '{}') INTO v_claimed FROM claimed;
  END IF;
  FOR v_i IN 0 .. v_count - 1 LOOP
    v_command_id := p_requests->v_i->>'commandId';
    IF v_command_id IS NULL OR v_command_id = ANY(v_claimed) THEN
      v_live := v_live || v_i;
    ELSE
      SELECT result || '{"duplicate": true}'::jsonb INTO v_results
        FROM command_results WHERE command_id = v_command_id;
      v_outcomes[v_i + 1] := v_results;
    END IF;
  END LOOP;
  IF cardinality(v_live) = 0 THEN RETURN to_jsonb(v_outcomes); END IF;

  -- 2. Lock the touched streams that exist, in stream id order so appends never deadlock; a
  --    stream without a row is at version 0.
  SELECT array_agg(DISTINCT s->>'streamId' ORDER BY s->>'streamId') INTO v_ids
    FROM unnest(v_live) i, jsonb_array_elements(p_requests->i->'streams') s;
  SELECT coalesce(jsonb_object_agg(stream_id, version), '{}') INTO v_base
    FROM (SELECT stream_id, version FROM streams WHERE stream_id = ANY(v_ids) ORDER BY stream_id FOR UPDATE) locked;

  -- 3. Judge the requests in order, each against the versions the earlier ones left, then create
  --    the streams the accepted ones start. Should another writer create one of those first, lock
  --    it and judge everything again (nothing has been written yet but stream rows, fixed below).
  LOOP
    v_rounds := v_rounds + 1;
    IF v_rounds > 100 THEN
      RAISE EXCEPTION 'strata_append_batch: streams kept being created under it';
    END IF;
    v_versions := v_base;
    v_plan := '[]';
    v_accepted := '{}';
    FOREACH v_i IN ARRAY v_live LOOP
      v_request := p_requests->v_i;
      v_conflict := NULL;
      FOR v_j IN 0 .. jsonb_array_length(v_request->'streams') - 1 LOOP
        v_stream := v_request->'streams'->v_j;
        v_current := coalesce((v_versions->>(v_stream->>'streamId'))::int, 0);
        v_expected := v_stream->'expected';
        IF NOT (v_expected = '"any"'::jsonb
                OR (v_expected = '"none"'::jsonb AND v_current = 0)
                OR (jsonb_typeof(v_expected) = 'number' AND v_expected::int = v_current)) THEN
          v_conflict := jsonb_build_object(
            'streamId', v_stream->>'streamId', 'expected', v_expected, 'actual', v_current);
          EXIT;
        END IF;
      END LOOP;
      IF v_conflict IS NOT NULL THEN
        v_outcomes[v_i + 1] := jsonb_build_object('conflict', v_conflict);
        CONTINUE;
      END IF;
      v_accepted := v_accepted || v_i;
      FOR v_j IN 0 .. jsonb_array_length(v_request->'streams') - 1 LOOP
        v_stream := v_request->'streams'->v_j;
        v_stream_id := v_stream->>'streamId';
        v_current := coalesce((v_versions->>v_stream_id)::int, 0);
        v_plan := v_plan || jsonb_build_array(jsonb_build_object(
          'i', v_i, 's', v_j, 'streamId', v_stream_id, 'streamType', v_stream->>'streamType',
          'base', v_current, 'events', v_stream->'events'));
        v_versions := jsonb_set(v_versions, ARRAY[v_stream_id],
                                to_jsonb(v_current + jsonb_array_length(v_stream->'events')));
      END LOOP;
    END LOOP;

    WITH candidates AS (
      SELECT DISTINCT ON (p->>'streamId') p->>'streamId' AS id, p->>'streamType' AS type
        FROM jsonb_array_elements(v_plan) p
       WHERE NOT v_base ? (p->>'streamId') AND NOT (p->>'streamId') = ANY(v_created)
       ORDER BY p->>'streamId'),
    inserted AS (
      INSERT INTO streams (stream_id, stream_type, version)
      SELECT id, type, (v_versions->>id)::int FROM candidates ORDER BY id
      ON CONFLICT DO NOTHING RETURNING stream_id)
    SELECT coalesce(array_agg(c.id) FILTER (WHERE i.stream_id IS NOT NULL), '{}'),
           coalesce(array_agg(c.id) FILTER (WHERE i.stream_id IS NULL), '{}')
      INTO v_inserted, v_raced
      FROM candidates c LEFT JOIN inserted i ON i.stream_id = c.id;
    v_created := v_created || v_inserted;
    EXIT WHEN cardinality(v_raced) = 0;
    SELECT v_base || coalesce(jsonb_object_agg(stream_id, version), '{}') INTO v_base
      FROM (SELECT stream_id, version FROM streams WHERE stream_id = ANY(v_raced) ORDER BY stream_id FOR UPDATE) locked;
  END LOOP;

  -- 4. Stream rows: a row created in an earlier round may now be stale or belong to no request.
  IF v_rounds > 1 THEN
    DELETE FROM streams WHERE stream_id = ANY(v_created) AND NOT v_versions ? stream_id;
    UPDATE streams SET version = (v_versions->>stream_id)::int
     WHERE stream_id = ANY(v_created) AND v_versions ? stream_id
       AND version <> (v_versions->>stream_id)::int;
  END IF;
  IF v_base <> '{}'::jsonb THEN
    UPDATE streams s SET version = (v_versions->>s.stream_id)::int, updated_at = now()
     WHERE v_base ? s.stream_id AND (v_versions->>s.stream_id)::int <> (v_base->>s.stream_id)::int;
  END IF;

  -- 5. The events, in request, stream and event order, so positions follow versions.
  IF cardinality(v_accepted) > 0 THEN
    WITH planned AS (
      SELECT (p->>'i')::int AS i, (p->>'s')::int AS s, p->>'streamId' AS stream_id,
             p->>'streamType' AS stream_type, (p->>'base')::int AS base, p->'events' AS events
        FROM jsonb_array_elements(v_plan) p),
    inserted AS (
      INSERT INTO events (stream_id, stream_type, version, event_id, type, schema_version, data, metadata)
      SELECT pl.stream_id, pl.stream_type, pl.base + e.ord::int,
             coalesce((e.value->>'eventId')::uuid, gen_random_uuid()), e.value->>'type',
             (e.value->>'schemaVersion')::int, e.value->'data', coalesce(e.value->'metadata', '{}'::jsonb)
        FROM planned pl, jsonb_array_elements(pl.events) WITH ORDINALITY AS e(value, ord)
       ORDER BY pl.i, pl.s, e.ord
      RETURNING position, stream_id, version),
    per_stream AS (
      SELECT pl.i, pl.s, pl.stream_id, max(x.version) AS version,
             min(x.position) AS first_position, max(x.position) AS last_position
        FROM planned pl
        JOIN inserted x ON x.stream_id = pl.stream_id AND x.version > pl.base
                       AND x.version <= pl.base + jsonb_array_length(pl.events)
       GROUP BY pl.i, pl.s, pl.stream_id)
    SELECT jsonb_object_agg(i, jsonb_build_object(
             'streams', streams, 'position', position,
             'transactionId', pg_current_xact_id()::text, 'recordedAt', now()))
      INTO v_results
      FROM (SELECT i, max(last_position) AS position,
                   jsonb_agg(jsonb_build_object('streamId', stream_id, 'version', version,
                                                'firstPosition', first_position,
                                                'lastPosition', last_position) ORDER BY s) AS streams
              FROM per_stream GROUP BY i) r;
    FOREACH v_i IN ARRAY v_accepted LOOP
      v_outcomes[v_i + 1] := v_results->(v_i::text);
    END LOOP;
  END IF;

  -- 6. Record each accepted command's first result; free the ids of the ones that conflicted.
  IF cardinality(v_claimed) > 0 THEN
    UPDATE command_results c SET result = v_outcomes[r.i + 1]
      FROM (SELECT i, p_requests->i->>'commandId' AS command_id FROM unnest(v_accepted) i) r
     WHERE c.command_id = r.command_id;
    DELETE FROM command_results WHERE command_id = ANY(v_claimed) AND result = 'null'::jsonb;
  END IF;
  FOREACH v_i IN ARRAY v_accepted LOOP
    v_outcomes[v_i + 1] := v_outcomes[v_i + 1] || '{"duplicate": false}'::jsonb;
  END LOOP;
  RETURN to_jsonb(v_outcomes);
END
$$;
