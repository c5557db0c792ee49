// Long scheduled runs as generators of steps (one transaction each): run at once where nothing
// waits on the event loop (CLI, seed, tests), or paced where acks do (the scheduler's minute).

/** Steps between two hand-backs of the event loop: each is one short transaction. */
export const STEPS_PER_SLICE = 8;

export function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

export async function runStepsPaced<T>(
  steps: Generator<void, T, void>,
  perSlice: number = STEPS_PER_SLICE,
): Promise<T> {
  for (let n = 1; ; n++) {
    const next = steps.next();
    if (next.done) return next.value;
    if (n % perSlice === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
