// Steps that arrive as events (the trust wizard's, the module validator's): one list, in first-seen order.

/** Replaces the step with the same id, or appends it: events may repeat a step as it goes running -> pass. */
export function upsertStep<S extends { id: string }>(steps: S[], step: S): S[] {
  const at = steps.findIndex((s) => s.id === step.id);
  if (at < 0) return [...steps, step];
  const next = steps.slice();
  next[at] = step;
  return next;
}
