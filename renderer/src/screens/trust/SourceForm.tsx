// Step 1: where the QMC certificate export is (typed paths, a drop where the host can tell paths, or the
// demo site's export) and where the site answers. Nothing is read here: the main process reads the files.
import { useRef, useState, type DragEvent } from 'react';
import { ChoosePath } from '../../components/ChoosePath';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { useFocusFirstInvalid } from '../../components/focus-invalid';
import { RadioChoices } from '../../components/RadioChoices';
import { inputFromDroppedPaths } from '../../dropped-paths';
import { useTrustStore, type SourceKind } from '../../stores/trust-store';
import { useShallow } from 'zustand/react/shallow';

const KINDS: Array<{ value: SourceKind; label: string }> = [
  { value: 'folder', label: 'Folder' },
  { value: 'pem', label: 'PEM files' },
  { value: 'pfx', label: 'PFX file' },
];

function DropZone() {
  const takeInput = useTrustStore((s) => s.takeInput);
  const [problem, setProblem] = useState('');
  const bridge = window.usherFiles;
  // Without a host that can turn a File into a path, a drop cannot help: the path fields are the way in.
  if (!bridge) return null;

  async function onDrop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    const files = Array.from(event.dataTransfer.files);
    const found = await Promise.all(
      files.map(async (file) => {
        // The bridge fails for what it cannot place on disk; that file simply has no path.
        try {
          return await bridge!.pathForFile(file);
        } catch {
          return '';
        }
      }),
    );
    const paths = found.filter(Boolean);
    const input = inputFromDroppedPaths(paths);
    if (input) {
      setProblem('');
      takeInput(input);
    } else setProblem('Drop the export folder, or client.pem, client_key.pem and root.pem together, or a .pfx file.');
  }

  return (
    <div className="drop-zone" onDragOver={(e) => e.preventDefault()} onDrop={(e) => void onDrop(e)}>
      <p>Or drop the export folder or its files here.</p>
      {problem ? <p className="warn-text">{problem}</p> : null}
    </div>
  );
}

function PathFields() {
  const { source, passphraseHint, fieldErrors, setSource } = useTrustStore(
    useShallow((s) => ({ source: s.source, passphraseHint: s.passphraseHint, fieldErrors: s.fieldErrors, setSource: s.setSource })),
  );
  switch (source.kind) {
    case 'folder':
      return (
        <>
          <Field
            label="Export folder"
            value={source.folder}
            onChange={(folder) => setSource({ folder })}
            hint="The folder the QMC wrote client.pem, client_key.pem and root.pem to."
            error={fieldErrors.folder}
          />
          <ChoosePath what="folder" label="Choose folder…" onPath={(folder) => setSource({ folder })} />
        </>
      );
    case 'pem':
      return (
        <>
          <Field
            label="Client certificate (client.pem)"
            value={source.certPath}
            onChange={(certPath) => setSource({ certPath })}
            error={fieldErrors.certPath}
          />
          <ChoosePath what="pem" label="Choose client.pem…" onPath={(certPath) => setSource({ certPath })} />
          <Field label="Client key (client_key.pem)" value={source.keyPath} onChange={(keyPath) => setSource({ keyPath })} error={fieldErrors.keyPath} />
          <ChoosePath what="pem" label="Choose client_key.pem…" onPath={(keyPath) => setSource({ keyPath })} />
          <Field label="Root certificate (root.pem)" value={source.caPath} onChange={(caPath) => setSource({ caPath })} error={fieldErrors.caPath} />
          <ChoosePath what="pem" label="Choose root.pem…" onPath={(caPath) => setSource({ caPath })} />
        </>
      );
    case 'pfx':
      return (
        <>
          <Field label="PFX file (client.pfx)" value={source.pfxPath} onChange={(pfxPath) => setSource({ pfxPath })} error={fieldErrors.pfxPath} />
          <ChoosePath what="pfx" label="Choose PFX…" onPath={(pfxPath) => setSource({ pfxPath })} />
          <Field label="Root certificate (root.pem, optional)" value={source.pfxCaPath} onChange={(pfxCaPath) => setSource({ pfxCaPath })} />
          <Field
            label="PFX password"
            type="password"
            autoComplete="off"
            value={source.passphrase}
            onChange={(passphrase) => setSource({ passphrase })}
            hint={passphraseHint ?? 'The password chosen when the certificates were exported; empty if none was set.'}
          />
        </>
      );
  }
}

function TicketTestFields() {
  const { ticketTest, setTicketTest } = useTrustStore(useShallow((s) => ({ ticketTest: s.ticketTest, setTicketTest: s.setTicketTest })));
  return (
    <fieldset>
      <legend>Test ticket (optional)</legend>
      <div className="check">
        <input id="trust-ticket-test" type="checkbox" checked={ticketTest.enabled} onChange={(e) => setTicketTest({ enabled: e.target.checked })} />
        <label htmlFor="trust-ticket-test">Also request and redeem a test ticket</label>
      </div>
      {ticketTest.enabled ? (
        <div className="grid-3">
          <Field label="Test user directory" value={ticketTest.userDirectory} onChange={(userDirectory) => setTicketTest({ userDirectory })} />
          <Field label="Test user id" value={ticketTest.userId} onChange={(userId) => setTicketTest({ userId })} />
          <Field
            label="Test virtual proxy prefix"
            value={ticketTest.virtualProxy}
            onChange={(virtualProxy) => setTicketTest({ virtualProxy })}
            hint="Empty for the default virtual proxy."
          />
        </div>
      ) : null}
    </fieldset>
  );
}

export function SourceForm() {
  const { source, qps, qrs, inspecting, errors, fieldErrors, setSource, setSite, loadDemo, inspect } = useTrustStore(
    useShallow((s) => ({
      source: s.source,
      qps: s.qps,
      qrs: s.qrs,
      inspecting: s.inspecting,
      errors: s.errors,
      fieldErrors: s.fieldErrors,
      setSource: s.setSource,
      setSite: s.setSite,
      loadDemo: s.loadDemo,
      inspect: s.inspect,
    })),
  );
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, fieldErrors);
  return (
    <section aria-labelledby="trust-source">
      <h2 id="trust-source">1. Certificates and site</h2>
      <div className="row">
        <button type="button" onClick={() => void loadDemo()}>
          Use the demo site's export
        </button>
      </div>
      <ErrorNote error={errors.source} />
      <form
        ref={formRef}
        onSubmit={(e) => {
          e.preventDefault();
          void inspect();
        }}
      >
        <div className="fieldset-pair">
          <fieldset>
            <legend>The certificates exported from the QMC</legend>
            <div className="radio-row">
              <RadioChoices name="trust-kind" options={KINDS} value={source.kind} onChange={(kind) => setSource({ kind })} />
            </div>
            <PathFields />
            <DropZone />
          </fieldset>
          <fieldset>
            <legend>Where the site answers</legend>
            <div>
              <Field
                label="QPS base URL"
                value={qps}
                onChange={(value) => setSite({ qps: value })}
                error={fieldErrors.qps}
                placeholder="https://qlik.example.com:4243"
                inputMode="url"
              />
              <Field
                label="QRS base URL"
                value={qrs}
                onChange={(value) => setSite({ qrs: value })}
                error={fieldErrors.qrs}
                placeholder="https://qlik.example.com:4242"
                inputMode="url"
              />
            </div>
          </fieldset>
        </div>
        <TicketTestFields />
        <div className="row">
          <button type="submit" className="primary" disabled={inspecting}>
            {inspecting ? 'Inspecting…' : 'Inspect certificates'}
          </button>
        </div>
      </form>
      <ErrorNote error={errors.inspect} />
    </section>
  );
}
