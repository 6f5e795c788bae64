/**
 * Group commit: transactions started in the same tick run as one, so that under load a
 * single BEGIN/COMMIT (one fsync) and a few socket writes carry many sessions' inputs. Their
 * statements share the connection's pipeline, in the order the members send them.
 *
 * A member must be safe to run twice: if the shared transaction rolls back because one member
 * failed, nothing of it was committed, and every member runs again in a transaction of its own
 * (the failing one then fails alone, with its own error). Members with the same key never share
 * a transaction, nor run at once: a second one waits until the first is done. Members are started in key order, so
 * members that take a lock keyed like the group (the session lock) as their first statement take
 * them in a global order, and two groups cannot deadlock.
 */

/**
 * Runs one transaction (the database's `transaction`); `commit` sends COMMIT behind the
 * statements sent so far. A transaction that throws the callback's own error did not commit.
 */
export type RunTransaction<Tx> = <T>(fn: (tx: Tx, commit: () => void) => Promise<T>) => Promise<T>;

/**
 * What a member hands back once it has read and decided: `send` sends its writes (all of them,
 * before it returns) and answers with their outcome. The group calls every member's `send` in
 * one go, so their writes leave together, and sends COMMIT behind them; nothing may be sent on
 * the transaction after `send`.
 */
export interface Staged<T> {
  send(): Promise<T>;
}

/** How big a group may get, and how many may be under way at once. */
export interface GroupCommitLimits {
  /** Members in one transaction at most. */
  readonly members: number;
  /** Group transactions under way at once (each holds a connection). */
  readonly inFlight: number;
}

/**
 * 8 sessions a transaction, one transaction at a time: the next group gathers while one commits
 * (classic group commit). Measured at 50 clients (bench, 2026-12-06): one at a time gave p99
 * 1.4-1.6x p50; two or more, no more throughput and p99 3-5x p50. 8 keeps a group's statements
 * (7-15 a session) near postgres.js's pipeline of 100 on a connection, past which it sends the
 * rest one per answer; raising its `max_pipeline` made the input fuzz of `events.all` hang
 * (not understood yet: issue 12's closing note).
 */
export const GROUP_COMMIT_LIMITS: GroupCommitLimits = { members: 8, inFlight: 1 };

/** A queue of transactions that commit in groups. */
export interface GroupCommit<Tx> {
  /** Runs `fn` in a transaction, possibly shared with others of other keys (see above). */
  run<T>(key: string, fn: (tx: Tx) => Promise<Staged<T>>): Promise<T>;
}

interface Member<Tx> {
  readonly key: string;
  readonly fn: (tx: Tx) => Promise<Staged<unknown>>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** Thrown inside a group transaction to roll it back when one of its members failed. */
class MemberFailed extends Error {
  override readonly name = 'MemberFailed';
}

/** A group commit over `transaction`. */
export function createGroupCommit<Tx>(
  transaction: RunTransaction<Tx>,
  limits: GroupCommitLimits = GROUP_COMMIT_LIMITS,
): GroupCommit<Tx> {
  const waiting: Member<Tx>[] = [];
  /** The keys of the members under way: another of the same key waits (it would only block). */
  const busy = new Set<string>();
  let inFlight = 0;
  let scheduled = false;

  /** The next group: waiting members of distinct keys, in arrival order, then in key order. */
  const take = (): Member<Tx>[] => {
    const keys = new Set<string>();
    const group: Member<Tx>[] = [];
    const left: Member<Tx>[] = [];
    for (const member of waiting) {
      if (group.length < limits.members && !keys.has(member.key) && !busy.has(member.key)) {
        keys.add(member.key);
        group.push(member);
      } else left.push(member);
    }
    waiting.splice(0, waiting.length, ...left);
    return group.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  };

  /** Sends its writes; the answer gets a handler at once (it may fail before it is awaited). */
  const sendOf = (staged: Staged<unknown>): Promise<unknown> => {
    const answer = staged.send();
    answer.catch(() => undefined);
    return answer;
  };

  const alone = (member: Member<Tx>): Promise<void> =>
    transaction(async (tx, commit) => {
      const answer = sendOf(await member.fn(tx));
      commit();
      return answer;
    }).then(member.resolve, member.reject);

  const together = async (group: Member<Tx>[]): Promise<void> => {
    let results: PromiseSettledResult<unknown>[] = [];
    try {
      await transaction(async (tx, commit) => {
        const staged = await Promise.allSettled(group.map((member) => member.fn(tx)));
        if (staged.some((result) => result.status === 'rejected')) throw new MemberFailed();
        // Every member has decided: all their writes are sent now, in one go, and leave in one
        // write to the server (see corkedSocket) with the COMMIT behind them.
        const answers = staged.map((result) =>
          result.status === 'fulfilled' ? sendOf(result.value) : Promise.reject(new MemberFailed()),
        );
        // Every member's writes are sent: COMMIT goes out with them. If one of them fails,
        // PostgreSQL answers it with ROLLBACK, and the transaction throws MemberFailed below.
        commit();
        results = await Promise.allSettled(answers);
        if (results.some((result) => result.status === 'rejected')) throw new MemberFailed();
      });
    } catch (error) {
      if (error instanceof MemberFailed) {
        // It rolled back (the transaction throws the callback's own error only then): nothing
        // of it is in the database.
        await Promise.all(group.map(alone));
        return;
      }
      // BEGIN or COMMIT failed (a lost connection, say): it may or may not have committed, as
      // for a transaction of one; each member gets the error, as it would alone.
      for (const member of group) member.reject(error);
      return;
    }
    group.forEach((member, i) => {
      const result = results[i];
      if (result?.status === 'fulfilled') member.resolve(result.value);
    });
  };

  const flush = (): void => {
    scheduled = false;
    while (waiting.length > 0 && inFlight < limits.inFlight) {
      const group = take();
      if (group.length === 0) return;
      for (const member of group) busy.add(member.key);
      inFlight += 1;
      const [only] = group;
      const done = group.length === 1 && only ? alone(only) : together(group);
      void done.finally(() => {
        for (const member of group) busy.delete(member.key);
        inFlight -= 1;
        schedule();
      });
    }
  };

  const schedule = (): void => {
    if (scheduled || waiting.length === 0 || inFlight >= limits.inFlight) return;
    scheduled = true;
    // After the tick's other work, so that what arrives in the same tick joins the group.
    setImmediate(flush);
  };

  return {
    run<T>(key: string, fn: (tx: Tx) => Promise<Staged<T>>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        waiting.push({ key, fn, resolve: resolve as (value: unknown) => void, reject });
        schedule();
      });
    },
  };
}
