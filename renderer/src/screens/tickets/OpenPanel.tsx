// "Open": the main process redeems the ticket in a partition window on the chosen target (a fresh isolated
// one unless another is chosen) and reports whether the proxy established a session, and for whom.
import { useEffect, useRef } from 'react';
import { useFocusFirstInvalid } from '../../components/focus-invalid';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { OpenOutcome } from '../../components/OpenOutcome';
import { PartitionChoiceFields } from '../../components/PartitionChoiceFields';
import { RadioChoices } from '../../components/RadioChoices';
import { useAppStore } from '../../stores/app-store';
import { usePartitionsStore } from '../../stores/partitions-store';
import { useTicketStore, type TargetKind } from '../../stores/ticket-store';
import { useShallow } from 'zustand/react/shallow';

const TARGETS: Array<{ value: TargetKind; label: string }> = [
  { value: 'hub', label: 'Hub' },
  { value: 'app', label: 'An app' },
  { value: 'url', label: 'A URL on the site' },
];

/** Where the login lands: the target (hub, app, URL on the site) and the partition; the store's own. */
export function TargetAndPartition({ name }: { name: string }) {
  const { target, targetErrors, partition, opened, loggedIn, setTarget, setPartition } = useTicketStore(
    useShallow((s) => ({
      target: s.target,
      targetErrors: s.targetErrors,
      partition: s.partition,
      opened: s.opened,
      loggedIn: s.loggedIn,
      setTarget: s.setTarget,
      setPartition: s.setPartition,
    })),
  );
  const activeProfileId = useAppStore((s) => s.activeProfileId);
  const partitionsView = usePartitionsStore((s) => s.view);
  const partitions = partitionsView?.partitions ?? [];
  const loadPartitions = usePartitionsStore((s) => s.load);
  // Why the list is missing when reading it failed (otherwise the empty list reads as "no partition yet").
  const partitionsError = usePartitionsStore((s) => s.error);
  // The existing partitions are read when the person asks for one, and again after each open.
  useEffect(() => {
    if (partition.mode === 'existing') void loadPartitions();
  }, [partition.mode, opened, loggedIn, loadPartitions]);
  return (
    <>
      <div className="radio-row">
        <RadioChoices name={`${name}-target`} options={TARGETS} value={target.kind} onChange={(kind) => setTarget({ kind })} />
      </div>
      {target.kind === 'app' ? <Field label="App id" value={target.appId} onChange={(appId) => setTarget({ appId })} /> : null}
      {target.kind === 'url' ? (
        <Field
          label="URL"
          value={target.url}
          onChange={(url) => setTarget({ url })}
          placeholder="https://qlik.example.com/sense/app/…"
          inputMode="url"
          error={targetErrors.url}
        />
      ) : null}
      <PartitionChoiceFields
        name={`${name}-partition`}
        value={partition}
        partitions={partitions.filter((p) => p.profileId === activeProfileId)}
        onChange={setPartition}
      />
      {partition.mode === 'existing' ? <ErrorNote error={partitionsError} /> : null}
    </>
  );
}

/** An app or URL target still waiting for its id or address. */
export function targetIncomplete(target: { kind: TargetKind; appId: string; url: string }): boolean {
  return (target.kind === 'app' && target.appId.trim() === '') || (target.kind === 'url' && target.url.trim() === '');
}

export function OpenPanel({ expired }: { expired: boolean }) {
  const { target, targetErrors, opening, opened, errors, open } = useTicketStore(
    useShallow((s) => ({ target: s.target, targetErrors: s.targetErrors, opening: s.opening, opened: s.opened, errors: s.errors, open: s.open })),
  );
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, targetErrors);
  return (
    <form
      ref={formRef}
      className="open-panel"
      onSubmit={(e) => {
        e.preventDefault();
        void open();
      }}
    >
      <fieldset>
        <legend>Open in a browser window</legend>
        <TargetAndPartition name="open" />
        <div className="row">
          <button type="submit" className="primary" disabled={expired || opening || targetIncomplete(target)}>
            {opening ? 'Opening…' : 'Open'}
          </button>
        </div>
      </fieldset>
      <ErrorNote error={errors.open} />
      {opened ? <OpenOutcome result={opened} /> : null}
    </form>
  );
}
