// A status or a severity as an icon and a word, so it never relies on colour alone.
import type { Severity } from '../../../shared/vp-findings';

const LABELS = {
  pass: { icon: '✓', text: 'Passed' },
  warn: { icon: '!', text: 'Warning' },
  fail: { icon: '✗', text: 'Failed' },
  running: { icon: '…', text: 'Running' },
  skipped: { icon: '–', text: 'Skipped' },
  waiting: { icon: '○', text: 'Waiting' },
} as const;

type StatusKind = keyof typeof LABELS;

const SEVERITY_LABELS: Record<Severity, { icon: string; text: string; className: string }> = {
  error: { icon: '✗', text: 'Error', className: 'status-fail' },
  warning: { icon: '!', text: 'Warning', className: 'status-warn' },
  info: { icon: 'i', text: 'Info', className: 'status-info' },
};

/** Any icon and word in the status look (`className` picks the colour: status-pass, status-fail, ...). */
export function StatusWord({ icon, text, className }: { icon: string; text: string; className: string }) {
  return (
    <span className={`status ${className}`}>
      <span aria-hidden="true" className="status-icon">
        {icon}
      </span>{' '}
      {text}
    </span>
  );
}

export function StatusLabel({ status }: { status: StatusKind }) {
  return <StatusWord {...LABELS[status]} className={`status-${status}`} />;
}

/** A virtual proxy finding's severity, in the same icon-and-word form. */
export function SeverityLabel({ severity }: { severity: Severity }) {
  return <StatusWord {...SEVERITY_LABELS[severity]} />;
}
