// Where a ticket or a session-API login opens: a new isolated partition (in memory or kept on disk), one
// that exists (of the same site: a partition trusts only its site's CA), or the site's one shared
// partition, where logins clobber each other on purpose (seed 003).
import { useId } from 'react';
import type { PartitionView } from '../../../shared/partitions';
import { PARTITION_MODES, type PartitionChoiceForm } from '../stores/partitions-store';
import { RadioChoices } from './RadioChoices';

interface Props {
  /** Radio group name (unique on the screen). */
  name: string;
  value: PartitionChoiceForm;
  /** The site's partitions, for `existing`. */
  partitions: PartitionView[];
  onChange(fields: Partial<PartitionChoiceForm>): void;
}

export function PartitionChoiceFields({ name, value, partitions, onChange }: Props) {
  const selectId = useId();
  return (
    <fieldset className="partition-choice">
      <legend>Partition</legend>
      <div className="radio-row">
        <RadioChoices name={name} options={PARTITION_MODES} value={value.mode} onChange={(mode) => onChange({ mode })} />
      </div>
      {value.mode === 'existing' ? (
        partitions.length === 0 ? (
          // No list to label: the message is plain text (a label must name a form control).
          <p className="muted">This site has no partition yet: open in a new one first.</p>
        ) : (
          <div className="field">
            <label htmlFor={selectId}>Open in</label>
            <select id={selectId} value={value.partitionId} onChange={(e) => onChange({ partitionId: e.target.value })}>
              <option value="">Choose a partition…</option>
              {partitions.map((p) => (
                <option key={p.partitionId} value={p.partitionId}>
                  {p.label} ({p.windows.length} window{p.windows.length === 1 ? '' : 's'})
                </option>
              ))}
            </select>
          </div>
        )
      ) : null}
      {value.mode === 'shared' ? (
        <p className="hint">One jar for every login of this site: a second user on the same virtual proxy replaces the first one&rsquo;s session cookie.</p>
      ) : null}
    </fieldset>
  );
}
