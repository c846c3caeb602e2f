// A bar for long work that reports its steps: "Step 3 of 8: QPS reachable over TCP", with a determinate
// progress bar (done steps of all). The text is the bar's accessible value, so it is read as words; the
// value, minimum and maximum are also set as ARIA attributes, so every reader (and test) gets the numbers.
interface Props {
  /** What the work is, for the bar's name: "Trust check progress". */
  label: string;
  /** The step under way, 1-based (done steps + 1, at most `total`). */
  current: number;
  total: number;
  /** The title of the step under way, when known. */
  title?: string;
}

export function StepProgress({ label, current, total, title }: Props) {
  const text = `Step ${Math.max(1, Math.min(current, total))} of ${total}${title ? `: ${title}` : ''}`;
  const done = Math.max(0, Math.min(current - 1, total));
  return (
    <div className="step-progress">
      <progress aria-label={label} aria-valuetext={text} aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} value={done} max={total} />
      <span className="muted">{text}</span>
    </div>
  );
}
