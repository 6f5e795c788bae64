-- Each session's events sort by (tx, id) in the order of their seq: the global stream (ordered
-- by (tx, id)) then keeps every session's order, and event ids, which encode (tx, id), increase
-- along a session's stream. It holds because a writer takes the session lock before anything in
-- its transaction is given a transaction id (see lockSession); this trigger makes a writer that
-- did not fail instead of publishing events out of order.
CREATE FUNCTION baton_events_follow_in_commit_order() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (
    SELECT 1 FROM events
     WHERE session_id = NEW.session_id AND seq = NEW.seq - 1 AND (tx, id) > (NEW.tx, NEW.id)
  ) THEN
    RAISE EXCEPTION 'event % of session % sorts before the event it follows', NEW.seq, NEW.session_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'events_follow_in_commit_order';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER events_follow_in_commit_order BEFORE INSERT ON events
  FOR EACH ROW EXECUTE FUNCTION baton_events_follow_in_commit_order();
