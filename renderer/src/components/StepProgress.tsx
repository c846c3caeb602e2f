// A bar for long work that reports its steps: "Step 3 of 8: QPS reachable over TCP", with a determinate
// progress bar (done steps of all). The text is the bar's accessible value, so it is read as words.
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
  const text = `Step ${Math.min(current, total)} of ${total}${title ? `: ${title}` : ''}`;
  return (
    <div className="step-progress">
      <progress aria-label={label} aria-valuetext={text} value={Math.min(current - 1, total)} max={total} />
      <span className="muted">{text}</span>
    </div>
  );
}
