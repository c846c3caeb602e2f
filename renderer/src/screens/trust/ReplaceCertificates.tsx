// Step 5 when the wizard re-imports certificates for a saved site (Site -> Re-import certificates): the
// checked set replaces the site's bundle in the vault; name, addresses and history stay.
import { memoryOnlyWarning } from '../../../../shared/vault-words';
import { ErrorNote } from '../../components/ErrorNote';
import { useAppStore } from '../../stores/app-store';
import { useTrustStore } from '../../stores/trust-store';
import { useShallow } from 'zustand/react/shallow';

export function ReplaceCertificates({ onReplaced }: { onReplaced(): void }) {
  const { run, replaceFor, saving, saved, errors, replace } = useTrustStore(
    useShallow((s) => ({ run: s.run, replaceFor: s.replaceFor, saving: s.saving, saved: s.saved, errors: s.errors, replace: s.replace })),
  );
  const vault = useAppStore((s) => s.app?.vault);
  const warning = vault ? memoryOnlyWarning(vault) : undefined;
  if (!run || !replaceFor) return null;
  return (
    <section aria-labelledby="trust-replace">
      <h2 id="trust-replace">5. Replace the certificates of {replaceFor.name}</h2>
      {!run.ok ? <p className="warn-text">The trust check failed: fix the failed steps and run it again before replacing.</p> : null}
      <p>The new certificates go to the vault and the old ones are removed from it; the site keeps its name, addresses and audit history.</p>
      {warning ? (
        <p className="warn-text" role="note">
          {warning}
        </p>
      ) : null}
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={!run.ok || saving}
          onClick={() => void replace(warning !== undefined).then((profile) => profile && onReplaced())}
        >
          {saving ? 'Replacing…' : `Replace the certificates of ${replaceFor.name}`}
        </button>
      </div>
      <ErrorNote error={errors.save} />
      {saved ? (
        <p role="status">
          New certificates saved for {saved.name}: {saved.certificates?.clientSubject}, valid until {saved.certificates?.validTo.slice(0, 10)}.
        </p>
      ) : null}
    </section>
  );
}
