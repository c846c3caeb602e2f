// Step 5: keep the checked site as a profile. The main process stores its certificates in the vault;
// the form only names the site and picks its defaults.
import { useId } from 'react';
import type { Profile } from '../../../../shared/profile';
import { profileNameProblem } from '../../../../shared/profile';
import { memoryOnlyWarning, savedLine } from '../../../../shared/vault-words';
import { ErrorNote } from '../../components/ErrorNote';
import { Field } from '../../components/Field';
import { prefixLabel } from '../../format';
import { useAppStore } from '../../stores/app-store';
import { useTrustStore } from '../../stores/trust-store';
import { useShallow } from 'zustand/react/shallow';

export function SaveProfileForm({ onSaved }: { onSaved(profile: Profile): void }) {
  const { run, form, saving, saved, errors, setForm, save } = useTrustStore(
    useShallow((s) => ({ run: s.run, form: s.form, saving: s.saving, saved: s.saved, errors: s.errors, setForm: s.setForm, save: s.save })),
  );
  const vpId = useId();
  const vault = useAppStore((s) => s.app?.vault);
  // Said before saving: what will not survive a restart (no keychain), in words.
  const warning = vault ? memoryOnlyWarning(vault) : undefined;
  if (!run) return null;
  const prefixes = run.virtualProxies.map((v) => v.prefix);
  if (!prefixes.includes(form.defaultVirtualProxy)) prefixes.unshift(form.defaultVirtualProxy);
  const nameProblem = form.name === '' ? undefined : profileNameProblem(form.name);

  return (
    <section aria-labelledby="trust-save">
      <h2 id="trust-save">5. Save as a site</h2>
      {!run.ok ? <p className="warn-text">The trust check failed: fix the failed steps and run it again before saving.</p> : null}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(warning !== undefined).then((profile) => profile && onSaved(profile));
        }}
      >
        <div className="grid-3">
          <Field
            label="Site name"
            value={form.name}
            onChange={(name) => setForm({ name })}
            required
            maxLength={100}
            error={nameProblem ? `The name ${nameProblem}.` : undefined}
          />
          <div className="field">
            <label htmlFor={vpId}>Default virtual proxy</label>
            <select id={vpId} value={form.defaultVirtualProxy} onChange={(e) => setForm({ defaultVirtualProxy: e.target.value })}>
              {prefixes.map((p) => (
                <option key={p} value={p}>
                  {prefixLabel(p)}
                </option>
              ))}
            </select>
          </div>
          <Field label="Default user directory" value={form.defaultUserDirectory} onChange={(defaultUserDirectory) => setForm({ defaultUserDirectory })} />
        </div>
        {warning ? (
          <p className="warn-text" role="note">
            {warning}
          </p>
        ) : null}
        <div className="row">
          <button type="submit" className="primary" disabled={!run.ok || saving || form.name.trim() === '' || nameProblem !== undefined}>
            {saving ? 'Saving…' : warning ? 'Save for this session only' : 'Save site'}
          </button>
        </div>
      </form>
      <ErrorNote error={errors.save} />
      {saved ? <p role="status">{savedLine(saved.name, saved.certificates?.storage, vault)}</p> : null}
    </section>
  );
}
