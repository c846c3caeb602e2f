// The ticket flow as a sequence diagram in plain SVG: four lifelines (browser, proxy, authentication
// module, QPS), one arrow per step with what goes over and how long it took; a failed step in the fail
// colour, dashed. The picture is an image with a title and a description naming every step, and the
// same steps are a table under it for whoever would rather read (or cannot see the picture).
import { useId } from 'react';
import { describeFlow, FLOW_LANE_NAMES, FLOW_LANES, type FlowLane, type FlowStep } from '../../../shared/ticket-flow';
import { formatDuration } from '../format';
import { Table } from './Table';

const LANE_GAP = 180;
const LEFT = 90;
const TOP = 46;
const STEP = 34;

const laneX = (lane: FlowLane): number => LEFT + FLOW_LANES.indexOf(lane) * LANE_GAP;

function Arrow({ step, index, markerId, failMarkerId }: { step: FlowStep; index: number; markerId: string; failMarkerId: string }) {
  const y = TOP + 28 + index * STEP;
  const [x1, x2] = [laneX(step.from), laneX(step.to)];
  // Stop short of the lifeline so the arrow head touches it rather than covering it.
  const end = x2 + (x2 > x1 ? -4 : 4);
  const time = step.ms !== undefined ? ` · ${formatDuration(step.ms)}` : '';
  return (
    <g className={step.failed ? 'flow-step flow-failed' : 'flow-step'}>
      <line x1={x1} y1={y} x2={end} y2={y} markerEnd={`url(#${step.failed ? failMarkerId : markerId})`} strokeDasharray={step.failed ? '5 3' : undefined} />
      <text x={(x1 + x2) / 2} y={y - 6} textAnchor="middle">
        {`${index + 1}. ${step.label}${time}`}
      </text>
    </g>
  );
}

export function SequenceDiagram({ title, steps }: { title: string; steps: readonly FlowStep[] }) {
  const id = useId();
  const height = TOP + 28 + steps.length * STEP;
  const width = LEFT * 2 + LANE_GAP * (FLOW_LANES.length - 1);
  const marker = `${id}-arrow`;
  const failMarker = `${id}-arrow-failed`;
  return (
    <figure className="sequence-diagram">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{describeFlow(steps, formatDuration).join('; ')}</desc>
        <defs>
          <marker id={marker} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="flow-head" />
          </marker>
          <marker id={failMarker} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" className="flow-head flow-failed" />
          </marker>
        </defs>
        {FLOW_LANES.map((lane) => (
          <g key={lane} className="flow-lane">
            <rect x={laneX(lane) - 80} y={4} width={160} height={26} rx={5} />
            <text x={laneX(lane)} y={21} textAnchor="middle">
              {FLOW_LANE_NAMES[lane]}
            </text>
            <line x1={laneX(lane)} y1={30} x2={laneX(lane)} y2={height} />
          </g>
        ))}
        {steps.map((step, index) => (
          <Arrow key={index} step={step} index={index} markerId={marker} failMarkerId={failMarker} />
        ))}
      </svg>
      <figcaption>
        <details>
          <summary>{title} as a table</summary>
          <Table className="dense flow-table" caption={title} hiddenCaption columns={['#', 'From', 'To', 'Step', 'Time']}>
            {steps.map((step, index) => (
              <tr key={index} className={step.failed ? 'failed' : undefined}>
                <td>{index + 1}</td>
                <td>{FLOW_LANE_NAMES[step.from]}</td>
                <td>{FLOW_LANE_NAMES[step.to]}</td>
                <td className="mono break">
                  {step.label}
                  {step.failed ? ' (failed)' : ''}
                </td>
                <td className="nowrap">{step.ms !== undefined ? formatDuration(step.ms) : (step.note ?? '—')}</td>
              </tr>
            ))}
          </Table>
        </details>
      </figcaption>
    </figure>
  );
}

/** The diagram behind a disclosure, for a list that must stay a line per step until someone asks. */
export function FoldedSequenceDiagram({ title, steps }: { title: string; steps: readonly FlowStep[] }) {
  const failed = steps.some((s) => s.failed);
  return (
    <details className="folded-flow">
      <summary>
        {title} as a sequence diagram{failed ? ' (where it broke)' : ''}
      </summary>
      <SequenceDiagram title={title} steps={steps} />
    </details>
  );
}
