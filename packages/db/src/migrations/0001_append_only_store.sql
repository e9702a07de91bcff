-- The event log refuses every change but INSERT, whoever connects.
CREATE FUNCTION strata_refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'ES403', MESSAGE = 'events are append-only: ' || TG_OP || ' is refused';
END
$$;
--> statement-breakpoint
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION strata_refuse_event_change();
--> statement-breakpoint
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
  FOR EACH STATEMENT EXECUTE FUNCTION strata_refuse_event_change();
--> statement-breakpoint
-- The one append path, as one statement so an append costs one round trip.
-- p_request: { commandId?, streams: [{ streamId, streamType, expected: "any" | "none" | int,
--              events: [{ eventId?, type, schemaVersion, data, metadata }] }] }
-- Returns { streams: [{ streamId, version, firstPosition, lastPosition }], position, transactionId,
--           recordedAt, duplicate }.
CREATE FUNCTION strata_append(p_request jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
DECLARE
  v_command_id text := p_request->>'commandId';
  v_existing jsonb;
  v_stream jsonb;
  v_stream_id text;
  v_expected jsonb;
  v_count int;
  v_version int;
  v_actual int;
  v_versions jsonb := '{}'::jsonb;
  v_results jsonb := '[]'::jsonb;
  v_first bigint;
  v_last bigint;
  v_position bigint := 0;
  v_result jsonb;
BEGIN
  IF v_command_id IS NOT NULL THEN
    -- A concurrent twin blocks here until the first commits or rolls back.
    INSERT INTO command_results(command_id, result) VALUES (v_command_id, 'null'::jsonb)
      ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      SELECT result INTO v_existing FROM command_results WHERE command_id = v_command_id;
      RETURN v_existing || '{"duplicate": true}'::jsonb;
    END IF;
  END IF;

  -- Check and bump versions in stream id order, so multi-stream appends never deadlock.
  FOR v_stream IN
    SELECT value FROM jsonb_array_elements(p_request->'streams') ORDER BY value->>'streamId'
  LOOP
    v_stream_id := v_stream->>'streamId';
    v_expected := v_stream->'expected';
    v_count := jsonb_array_length(v_stream->'events');
    v_version := NULL;
    IF v_expected = '"any"'::jsonb THEN
      INSERT INTO streams AS s (stream_id, stream_type, version)
        VALUES (v_stream_id, v_stream->>'streamType', v_count)
        ON CONFLICT (stream_id) DO UPDATE SET version = s.version + v_count, updated_at = now()
        RETURNING s.version INTO v_version;
    ELSIF v_expected = '"none"'::jsonb OR v_expected = '0'::jsonb THEN
      INSERT INTO streams (stream_id, stream_type, version)
        VALUES (v_stream_id, v_stream->>'streamType', v_count)
        ON CONFLICT DO NOTHING
        RETURNING version INTO v_version;
    ELSE
      UPDATE streams SET version = version + v_count, updated_at = now()
        WHERE stream_id = v_stream_id AND version = (v_expected #>> '{}')::int
        RETURNING version INTO v_version;
    END IF;
    IF v_version IS NULL THEN
      SELECT version INTO v_actual FROM streams WHERE stream_id = v_stream_id;
      RAISE EXCEPTION USING
        ERRCODE = 'ES409',
        MESSAGE = format('stream %s is at version %s, expected %s', v_stream_id, coalesce(v_actual, 0), v_expected #>> '{}'),
        DETAIL = jsonb_build_object('streamId', v_stream_id, 'expected', v_expected, 'actual', coalesce(v_actual, 0))::text;
    END IF;
    v_versions := v_versions || jsonb_build_object(v_stream_id, v_version);
  END LOOP;

  FOR v_stream IN SELECT value FROM jsonb_array_elements(p_request->'streams') LOOP
    v_stream_id := v_stream->>'streamId';
    v_version := (v_versions->>v_stream_id)::int;
    v_count := jsonb_array_length(v_stream->'events');
    WITH inserted AS (
      INSERT INTO events (stream_id, stream_type, version, event_id, type, schema_version, data, metadata)
      SELECT v_stream_id, v_stream->>'streamType', v_version - v_count + e.ord::int,
             coalesce((e.value->>'eventId')::uuid, gen_random_uuid()), e.value->>'type',
             (e.value->>'schemaVersion')::int, e.value->'data', coalesce(e.value->'metadata', '{}'::jsonb)
        FROM jsonb_array_elements(v_stream->'events') WITH ORDINALITY AS e(value, ord)
        ORDER BY e.ord
      RETURNING position
    )
    SELECT min(position), max(position) INTO v_first, v_last FROM inserted;
    v_position := greatest(v_position, v_last);
    v_results := v_results || jsonb_build_array(jsonb_build_object(
      'streamId', v_stream_id, 'version', v_version, 'firstPosition', v_first, 'lastPosition', v_last));
  END LOOP;

  v_result := jsonb_build_object('streams', v_results, 'position', v_position,
                                 'transactionId', pg_current_xact_id()::text, 'recordedAt', now());
  IF v_command_id IS NOT NULL THEN
    UPDATE command_results SET result = v_result WHERE command_id = v_command_id;
  END IF;
  -- No NOTIFY here: PostgreSQL serialises the commits of every transaction that notified, which
  -- cost most of the append throughput. Writers announce appends after commit instead.
  RETURN v_result || '{"duplicate": false}'::jsonb;
END
$$;
