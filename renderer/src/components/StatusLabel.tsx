// A status as an icon and a word, so it never relies on colour alone.
const LABELS = {
  pass: { icon: '✓', text: 'Passed' },
  warn: { icon: '!', text: 'Warning' },
  fail: { icon: '✗', text: 'Failed' },
  running: { icon: '…', text: 'Running' },
  skipped: { icon: '–', text: 'Skipped' },
  waiting: { icon: '○', text: 'Waiting' },
} as const;

export type StatusKind = keyof typeof LABELS;

export function StatusLabel({ status }: { status: StatusKind }) {
  const { icon, text } = LABELS[status];
  return (
    <span className={`status status-${status}`}>
      <span aria-hidden="true" className="status-icon">
        {icon}
      </span>{' '}
      {text}
    </span>
  );
}
