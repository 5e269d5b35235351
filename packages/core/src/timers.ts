/** Lets Node exit while the timer waits (`unref` exists only on Node's timers). */
export function unref(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
