-- Where commit-safe readers stop: the oldest transaction in progress that may still commit events
-- here. Below it every event is committed, and none can commit later with a smaller transaction
-- id (ids handed out later are larger than every one visible now).
--
-- pg_snapshot_xmin would do, but it counts every database of the cluster: a long transaction in
-- another database held readers here back for its whole length. So a transaction in progress is
-- passed over when pg_stat_activity shows it running in another database; one it does not show
-- (finished meanwhile, another role's, prepared) still holds readers back, so a wrong guess only
-- costs time, never an event.
CREATE FUNCTION strata_commit_horizon() RETURNS xid8 LANGUAGE sql STABLE AS $$
  SELECT coalesce(min(x), pg_snapshot_xmax(pg_current_snapshot()))
    FROM pg_snapshot_xip(pg_current_snapshot()) AS x
   WHERE NOT EXISTS (
     SELECT 1 FROM pg_stat_activity a
      WHERE a.backend_xid = x::xid AND a.datname IS DISTINCT FROM current_database())
$$;
