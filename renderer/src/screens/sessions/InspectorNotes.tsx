// What the Sessions screen says above the table: the inspector's warnings (each with its fix, and an id
// the rows it is about point at) and the node/virtual proxy pairs that could not be asked.
import type { InspectorFailure, InspectorWarning } from '../../../../shared/sessions';
import { SeverityLabel } from '../../components/StatusLabel';
import { prefixLabel } from '../../format';

/** The element id of warning `index`: the rows it names are described by it. */
export function warningElementId(warningId: string, index: number): string {
  return `${warningId}-${index}`;
}

export function InspectorWarnings({ warnings, warningId }: { warnings: InspectorWarning[]; warningId: string }) {
  if (warnings.length === 0) return null;
  return (
    <section aria-labelledby="inspector-warnings" className="inspector-warnings">
      <h2 id="inspector-warnings">Warnings ({warnings.length})</h2>
      <ul>
        {warnings.map((w, i) => (
          <li key={`${w.kind}-${i}`} id={warningElementId(warningId, i)} className={`finding-${w.severity}`}>
            <SeverityLabel severity={w.severity} /> {w.message} <span className="muted">Fix: {w.fix}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The first ten pairs that could not be asked, and how many more. */
export function PairFailures({ failures }: { failures: InspectorFailure[] }) {
  if (failures.length === 0) return null;
  return (
    <ul className="warn-text" aria-label="Pairs that could not be asked">
      {failures.slice(0, 10).map((f, i) => (
        <li key={i}>
          Node {f.nodeName} {prefixLabel(f.virtualProxy)}: {f.message}
        </li>
      ))}
      {failures.length > 10 ? <li>and {failures.length - 10} more</li> : null}
    </ul>
  );
}
