// "Seed 003": the mashup pattern of one dummy user per app, run side by side. App A as user A in tab 1 and
// app B as user B in tab 2, first in the site's shared partition (one browser), then in a partition each;
// per tab the app page, a selection and an export started over the engine WebSocket, a content-library
// image and the export's download, each shown as succeeded or failed in words and an icon (never colour
// alone), whether that is what the seed predicts, and why. The image path is optional (empty: the demo
// site's); the export path too (empty: the file the tab's own export wrote).
import { useId, useRef, type FormEvent } from 'react';
import type { SharedJarRunView } from '../../../shared/ipc/contract';
import {
  CASE_LABELS,
  defaultImagePath,
  JAR_CASES,
  PROBE_KINDS,
  PROBE_LABELS,
  probeStatusText,
  probePathBase,
  SHARED_JAR_STEPS_PER_CASE,
  type ProbeOutcome,
  type SharedJarProgress,
} from '../../../shared/shared-jar';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';
import { useFocusFirstInvalid } from '../components/focus-invalid';
import { useRevealWhenDone } from '../components/reveal-result';
import { StatusWord } from '../components/StatusLabel';
import { StepProgress } from '../components/StepProgress';
import { Table } from '../components/Table';
import { prefixLabel } from '../format';
import { activeProfile, siteName, useAppStore } from '../stores/app-store';
import { useSharedJarStore, type FormErrors, type SideBySideTab, type SideForm } from '../stores/shared-jar-store';
import { useShallow } from 'zustand/react/shallow';

/**
 * What to write in the image and export fields. The core appends the path to the virtual proxy's address
 * (`https://host/{prefix}/` + path), so the hints say "below /prefix/", with the demo's path as the example.
 */
function pathHints(virtualProxy: string, appId: string): { image: string; export: string } {
  const base = probePathBase(virtualProxy);
  const below = virtualProxy ? `below ${base}, without that prefix` : `below ${base}`;
  const app = appId.trim();
  const demoImage = app ? defaultImagePath(app) : 'appcontent/<app id>/logo.png';
  return {
    image:
      `Needed on a real site: the image's path ${below} (spaces as %20): appcontent/<app id>/<file> for an image in the app, ` +
      `content/<library>/<file> for one in a content library. Empty: ${demoImage}, which only the demo site has.`,
    export:
      `Empty (works on any site): the file this tab's own export over the WebSocket writes, as a mashup's export button does. ` +
      `Or the download link's path of an export made in the app, ${below} and without its ?… part, e.g. tempcontent/<id>/<file>.xlsx.`,
  };
}

function SideFields({ which, tab, side, virtualProxy, errors }: { which: 'a' | 'b'; tab: 1 | 2; side: SideForm; virtualProxy: string; errors: FormErrors }) {
  const setSide = useSharedJarStore((s) => s.setSide);
  const hints = pathHints(virtualProxy, side.appId);
  return (
    <fieldset className="shared-jar-side">
      <legend>Tab {tab}</legend>
      <Field label={`User of tab ${tab}`} value={side.user} onChange={(user) => setSide(which, { user })} error={errors[`${which}User`]} />
      <Field label={`App of tab ${tab}`} value={side.appId} onChange={(appId) => setSide(which, { appId })} error={errors[`${which}App`]} />
      <Field
        label={`Content-library image path of tab ${tab}`}
        value={side.image}
        onChange={(image) => setSide(which, { image })}
        hint={hints.image}
        error={errors[`${which}Image`]}
        autoComplete="off"
      />
      <Field
        label={`Export download path of tab ${tab}`}
        value={side.export}
        onChange={(exportPath) => setSide(which, { export: exportPath })}
        hint={hints.export}
        error={errors[`${which}Export`]}
        autoComplete="off"
      />
    </fieldset>
  );
}

/** One request's outcome: icon and word, the status, whether the seed predicts it, and the reason. */
function Outcome({ probe }: { probe: ProbeOutcome | undefined }) {
  if (!probe) return <span className="muted">not run</span>;
  const status = probeStatusText(probe);
  const expected = probe.ok === probe.expectedOk;
  return (
    <div className={`shared-jar-outcome ${probe.ok ? 'outcome-ok' : 'outcome-failed'}`}>
      <StatusWord icon={probe.ok ? '✓' : '✗'} text={`${probe.ok ? 'Succeeded' : 'Failed'} (${status})`} className={probe.ok ? 'status-pass' : 'status-fail'} />{' '}
      <span className={expected ? 'muted' : 'warn-text'}>{expected ? '— as expected' : '— not as expected'}</span>
      <p className="shared-jar-reason break">{probe.reason}</p>
    </div>
  );
}

/** All steps of a run: each case (shared, then isolated) reports the same number. */
const SCENARIO_STEPS = JAR_CASES.length * SHARED_JAR_STEPS_PER_CASE;

/** The bar over the whole run, naming the case the step under way belongs to. */
function ScenarioProgress({ done }: { done: number }) {
  const jarCase = JAR_CASES[Math.min(Math.floor(done / SHARED_JAR_STEPS_PER_CASE), JAR_CASES.length - 1)]!;
  return <StepProgress label="Scenario progress" current={done + 1} total={SCENARIO_STEPS} title={CASE_LABELS[jarCase]} />;
}

function ProgressList({ progress }: { progress: SharedJarProgress[] }) {
  if (progress.length === 0) return null;
  return (
    <ol className="shared-jar-progress" aria-label="Scenario steps">
      {progress.map((p) => (
        <li key={`${p.case}-${p.step}`}>
          <StatusWord icon={p.ok ? '✓' : '✗'} text={p.ok ? 'As expected' : 'Unexpected'} className={p.ok ? 'status-pass' : 'status-fail'} />{' '}
          {CASE_LABELS[p.case]}, step {p.step} of {p.of}: {p.title} <span className="muted">— {p.detail}</span>
        </li>
      ))}
    </ol>
  );
}

/** What one window opened by "Open side by side" holds, in the words the Log in as screen uses. */
function SideBySideOutcome({ tab }: { tab: SideBySideTab }) {
  const head = `Tab ${tab.tab}, ${tab.user} with app ${tab.appId}`;
  if (tab.error) return <li>{`${head}: ✗ ${tab.error.message} ${tab.error.hint ?? ''}`.trim()}</li>;
  const result = tab.result!;
  return (
    <li>
      {head}: {result.established ? '✓' : '✗'} window in partition {result.partitionId}. <span className="muted">{result.detail}</span>
    </li>
  );
}

/**
 * The two tabs for a person to look at: app A as user A, then app B as user B, in windows that stay open,
 * in the shared partition (one browser, as seed 003) or in a partition each.
 */
function SideBySide({ profileId, running }: { profileId: string | undefined; running: boolean }) {
  const { sideBySide, open } = useSharedJarStore(useShallow((s) => ({ sideBySide: s.sideBySide, open: s.openSideBySide })));
  const busy = running || sideBySide?.opening === true || !profileId;
  return (
    <section aria-labelledby="side-by-side" className="shared-jar-windows">
      <h2 id="side-by-side">Open the two tabs yourself</h2>
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void open(profileId!, 'shared')}>
          Open side by side in one partition
        </button>
        <button type="button" disabled={busy} onClick={() => void open(profileId!, 'isolated')}>
          Open side by side, a partition each
        </button>
      </div>
      <div aria-live="polite">
        {sideBySide ? (
          <>
            <p>
              {sideBySide.opening ? 'Opening' : 'Opened'} app A and then app B in{' '}
              {sideBySide.jar === 'shared' ? "the site's shared partition" : 'a partition each'}
              {sideBySide.opening ? '…' : '; the windows stay open (Partitions lists and closes them).'}
            </p>
            <ul>
              {sideBySide.tabs.map((tab) => (
                <SideBySideOutcome key={tab.tab} tab={tab} />
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </section>
  );
}

function Report({ result }: { result: SharedJarRunView }) {
  const tabs = [1, 2] as const;
  return (
    <section className="shared-jar-report" aria-label="Side by side">
      <Table
        caption="Per tab and request: one shared partition against two isolated ones"
        columns={['Tab', 'Request', ...JAR_CASES.map((c) => CASE_LABELS[c])]}
        className="shared-jar-table"
      >
        {tabs.flatMap((tab) =>
          PROBE_KINDS.map((kind) => {
            const of = (c: (typeof result.cases)[number] | undefined) => c?.tabs.find((t) => t.tab === tab);
            const info = of(result.cases[0]) ?? of(result.cases[1]);
            return (
              <tr key={`${tab}-${kind}`}>
                <th scope="row" className="nowrap">
                  Tab {tab}
                  <span className="muted"> {info ? `${info.user}, app ${info.appId}` : ''}</span>
                </th>
                <td>{PROBE_LABELS[kind]}</td>
                {JAR_CASES.map((jarCase) => (
                  <td key={jarCase}>
                    <Outcome probe={of(result.cases.find((c) => c.case === jarCase))?.probes.find((p) => p.kind === kind)} />
                  </td>
                ))}
              </tr>
            );
          }),
        )}
      </Table>
      {result.cases.map((c) => (
        <div key={c.case} className="shared-jar-case">
          <h2>
            {CASE_LABELS[c.case]}: {c.asExpected ? 'as seed 003 predicts' : 'not as seed 003 predicts'}
          </h2>
          <p>{c.summary}</p>
          <ul>
            {c.tabs.map((t) => (
              <li key={t.tab}>
                Tab {t.tab} ({t.user}, jar “{t.jar}”): {t.opened ? 'opened its app' : `did not open its app: ${t.openDetail}`}; the proxy says its session is{' '}
                {t.sessionUser ?? 'nobody’s'}.
              </li>
            ))}
          </ul>
        </div>
      ))}
    </section>
  );
}

/** The ticket virtual proxy both users log in through, from the site's list. */
function VirtualProxyField({ prefixes, value, onChange }: { prefixes: string[]; value: string; onChange: (prefix: string) => void }) {
  const vpId = useId();
  return (
    <div className="field">
      <label htmlFor={vpId}>Virtual proxy</label>
      <select id={vpId} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={`${vpId}-hint`}>
        {prefixes.map((p) => (
          <option key={p} value={p}>
            {prefixLabel(p)}
          </option>
        ))}
      </select>
      <p id={`${vpId}-hint`} className="hint">
        A ticket virtual proxy both users log in through. Pick two users that may each open only their own app.
      </p>
    </div>
  );
}

export function SharedJar() {
  const { profiles, activeProfileId } = useAppStore(useShallow((s) => ({ profiles: s.profiles, activeProfileId: s.activeProfileId })));
  const profile = activeProfile({ profiles, activeProfileId });
  const { form, formErrors, inFlight, progress, result, error, setVirtualProxy, fillDemoPair, run } = useSharedJarStore(
    useShallow((s) => ({
      form: s.form,
      formErrors: s.formErrors,
      inFlight: s.inFlight,
      progress: s.progress,
      result: s.result,
      error: s.error,
      setVirtualProxy: s.setVirtualProxy,
      fillDemoPair: s.fillDemoPair,
      run: s.run,
    })),
  );
  const running = inFlight !== undefined;
  const statusLine = useRevealWhenDone<HTMLParagraphElement>(running);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, formErrors);
  const prefixes = profile ? profile.virtualProxies.map((vp) => vp.prefix) : [];
  if (!prefixes.includes(form.virtualProxy)) prefixes.push(form.virtualProxy);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (activeProfileId) void run(activeProfileId);
  };

  const status = running
    ? `Running seed 003 on ${siteName(profiles, inFlight.profileId)}: ${progress.length} of ${SCENARIO_STEPS} steps done…`
    : result
      ? `${result.asExpected ? '✓' : '✗'} ${result.verdict}`
      : '';

  return (
    <div className="screen">
      <h1 tabIndex={-1}>Two tabs, one cookie jar</h1>
      <p className="muted">Seed 003 of the Qlik Community: one dummy user per app, two mashups open side by side in one browser.</p>
      <p className="lead">
        A mashup site gives every app its own dummy user and opens app A as user A in one tab and app B as user B in another. In one browser the second ticket
        replaces the first tab's session cookie: tab 1's WebSocket keeps working as user A (selections, starting an export), but its app page, content-library
        images and export downloads then run as user B and are refused. This runs it for real in browser partitions, first in one shared partition, then in two
        isolated ones, and shows what each tab gets and why.
      </p>
      <form className="shared-jar-form" onSubmit={submit} aria-busy={running} ref={formRef}>
        <div className="row">
          <SideFields which="a" tab={1} side={form.a} virtualProxy={form.virtualProxy} errors={formErrors} />
          <SideFields which="b" tab={2} side={form.b} virtualProxy={form.virtualProxy} errors={formErrors} />
        </div>
        <VirtualProxyField prefixes={prefixes} value={form.virtualProxy} onChange={setVirtualProxy} />
        <div className="row">
          <button type="submit" className="primary" disabled={running || !activeProfileId}>
            {running ? 'Running…' : result ? 'Run side by side again' : 'Run side by side'}
          </button>
          {profile?.builtIn ? (
            <button type="button" onClick={fillDemoPair} disabled={running}>
              Use the demo pair
            </button>
          ) : null}
        </div>
      </form>
      <SideBySide profileId={activeProfileId} running={running} />
      <ErrorNote error={error} />
      <p className="shared-jar-status" role="status" ref={statusLine}>
        {status}
      </p>
      {running ? <ScenarioProgress done={progress.length} /> : null}
      <ProgressList progress={progress} />
      {result && !running ? (
        <>
          {result.profileId !== activeProfileId ? (
            <p className="warn-text" role="note">
              This report is for {siteName(profiles, result.profileId)}; run it again for {profile?.name ?? 'the selected site'}.
            </p>
          ) : null}
          <Report result={result} />
        </>
      ) : null}
    </div>
  );
}
