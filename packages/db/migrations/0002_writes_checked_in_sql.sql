-- A compare-and-set write that found its row changed since it was read fails its statement, and
-- with it the transaction. Checked in SQL rather than by the caller after the answer, so a
-- transaction's COMMIT can be sent in the same write as its last statements: if any of them
-- finds its row moved, PostgreSQL answers that COMMIT with ROLLBACK.
CREATE FUNCTION baton_expect_written(written bigint, record text, id text) RETURNS bigint
  LANGUAGE plpgsql AS $$
BEGIN
  IF written = 0 THEN
    RAISE EXCEPTION '% % changed after it was read', record, id
      USING ERRCODE = 'BT409', DETAIL = record || ' ' || id;
  END IF;
  RETURN written;
END
$$;
