/** What `flush` and `shutdown` found: whether everything settled, and what is left. */
export interface FlushResult {
  settled: boolean;
  pending: number;
}

/** Background work as `flush` and `shutdown` wait on it. */
export interface Work {
  /** Reports in hand now: being stored, waiting or being delivered. */
  pending(): number;
  /** Settles when some of it has moved on (then `pending` is looked at again); never rejects. */
  progress(): Promise<unknown>;
  /**
   * Outbox deletes of settled reports still in flight, if any (settles once they have; never
   * rejects): waited for too, though they are no longer pending reports.
   */
  deleting?(): Promise<void> | undefined;
}

/**
 * Waits until nothing is pending (reports tracked meanwhile included), at most `timeoutMs`;
 * without a bound, until nothing is.
 *
 * @example
 * await flushWithin(work, 5_000) // { settled: false, pending: 2 } when two are still in flight
 */
export async function flushWithin(work: Work, timeoutMs?: number): Promise<FlushResult> {
  if (work.pending() === 0 && !work.deleting?.()) return { settled: true, pending: 0 };
  const deadline = timeoutMs === undefined ? undefined : timer(timeoutMs);
  try {
    return (await idle(work, deadline?.reached ?? new Promise<void>(() => {})))
      ? { settled: true, pending: 0 }
      : { settled: false, pending: work.pending() };
  } finally {
    deadline?.cancel();
  }
}

/** What `shutdown` does around its wait. */
export interface ShutdownSteps {
  /** At the first call: take no more from the outbox, stop the timers. */
  begin(): void;
  /** When the wait is over, settled or not: from now on, nothing runs. */
  end(): void;
  /** What is still pending at the deadline goes to `onError` or the outbox; resolves how many. */
  giveUp(waitedMs: number): Promise<number>;
}

/**
 * The client's one `shutdown`: waits like `flush` within `timeoutMs`, then gives up what is
 * left. Called again while it waits (a second signal), it may only bring the deadline closer,
 * and every call resolves the same result.
 *
 * @example
 * const shutdown = shutdownOnce(work, steps); await shutdown(5_000)
 */
export function shutdownOnce(
  work: Work,
  steps: ShutdownSteps,
): (timeoutMs: number) => Promise<FlushResult> {
  let result: Promise<FlushResult> | undefined;
  let deadline: ReturnType<typeof timer> | undefined;
  let cut = () => {};
  const cutOff = new Promise<void>((resolve) => {
    cut = resolve;
  });
  const arm = (timeoutMs: number) => {
    deadline?.cancel();
    const current = timer(timeoutMs);
    deadline = current;
    current.reached.then(() => {
      if (deadline === current) cut();
    });
  };

  return (timeoutMs) => {
    if (result) {
      if (deadline && Date.now() + timeoutMs < deadline.at) arm(timeoutMs);
      return result;
    }
    const startedAt = Date.now();
    steps.begin();
    arm(timeoutMs);
    result = (async () => {
      const settled = await idle(work, cutOff);
      deadline?.cancel();
      deadline = undefined;
      steps.end();
      if (settled) return { settled: true, pending: 0 };
      return { settled: false, pending: await steps.giveUp(Date.now() - startedAt) };
    })();
    return result;
  };
}

/** Resolves `true` once nothing is pending, or `false` when `cutOff` settles first. */
async function idle(work: Work, cutOff: Promise<void>): Promise<boolean> {
  let over = false;
  cutOff.then(() => {
    over = true;
  });
  for (;;) {
    const deleting = work.pending() === 0 ? work.deleting?.() : undefined;
    if (work.pending() === 0 && !deleting) return true;
    if (over) return false;
    await Promise.race([deleting ?? work.progress(), cutOff]);
  }
}

/** A timer as a promise: `reached` settles after `ms` (at `at`), unless cancelled first. */
function timer(ms: number): { reached: Promise<void>; at: number; cancel(): void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const reached = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, Math.max(0, ms));
  });
  return { reached, at: Date.now() + Math.max(0, ms), cancel: () => clearTimeout(handle) };
}
