// The Site section: the active site as saved (addresses, certificates, nodes) and what can be done to
// it: rename, new addresses, new certificates (through the trust wizard), export without secrets, and
// removal after saying what it removes. Importing a site exported elsewhere is here too.
import { useEffect, useRef, useState } from 'react';
import { profileNameProblem, type Profile } from '../../../shared/profile';
import { siteRemovalLines } from '../../../shared/site-admin';
import { ConfirmBar, useFocusLater } from '../components/ConfirmBar';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';
import { activeProfile, useAppStore } from '../stores/app-store';
import { useSiteStore, type SiteAct } from '../stores/site-store';
import { useTrustStore } from '../stores/trust-store';
import { useShallow } from 'zustand/react/shallow';

function ActError({ act }: { act: SiteAct }) {
  const error = useSiteStore((s) => (s.error?.act === act ? s.error.error : undefined));
  return <ErrorNote error={error} />;
}

function RenameForm({ profile }: { profile: Profile }) {
  const [name, setName] = useState(profile.name);
  const busy = useSiteStore((s) => s.busy);
  const problem = name === profile.name ? undefined : profileNameProblem(name);
  return (
    <form
      aria-label="Rename the site"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) void useSiteStore.getState().rename(profile.id, name);
      }}
    >
      <div className="row">
        <Field label="Name" value={name} onChange={setName} maxLength={100} error={problem ? `The name ${problem}.` : undefined} />
        <button type="submit" disabled={busy !== undefined || name === profile.name || problem !== undefined}>
          Rename
        </button>
      </div>
      <ActError act="rename" />
    </form>
  );
}

function AddressesForm({ profile }: { profile: Profile }) {
  const [qps, setQps] = useState(profile.qps);
  const [qrs, setQrs] = useState(profile.qrs);
  const busy = useSiteStore((s) => s.busy);
  const unchanged = qps === profile.qps && qrs === profile.qrs;
  return (
    <form
      aria-label="Addresses"
      onSubmit={(e) => {
        e.preventDefault();
        void useSiteStore.getState().setAddresses(profile.id, qps, qrs);
      }}
    >
      <div className="grid-2">
        <Field label="QPS address" value={qps} onChange={setQps} hint="The Qlik Proxy Service API, port 4243 by default." />
        <Field label="QRS address" value={qrs} onChange={setQrs} hint="The Qlik Repository Service API, port 4242 by default." />
      </div>
      <div className="row">
        <button type="submit" disabled={busy !== undefined || unchanged}>
          Save addresses
        </button>
      </div>
      <ActError act="addresses" />
    </form>
  );
}

function Certificates({ profile }: { profile: Profile }) {
  const c = profile.certificates;
  return (
    <section aria-labelledby="site-certs">
      <h2 id="site-certs">Certificates</h2>
      {c ? (
        <p>
          Client certificate <span className="mono">{c.clientSubject}</span> (issued by <span className="mono">{c.rootSubject}</span>), valid until{' '}
          {c.validTo.slice(0, 10)}, kept {c.storage === 'keychain' ? 'encrypted in the vault' : 'in memory for this session only'}.
        </p>
      ) : (
        <p className="warn-text">This site has no certificates: re-import the QMC export (client.pem, client_key.pem, root.pem).</p>
      )}
      <div className="row">
        <button
          type="button"
          onClick={() => {
            useTrustStore.getState().startReplace(profile);
            useAppStore.getState().show('trust');
          }}
        >
          Re-import certificates
        </button>
      </div>
    </section>
  );
}

/** Hands the export (plain JSON, no secret) to the browser's download, which asks where to save it. */
function saveAsFile(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function ExportSite({ profile }: { profile: Profile }) {
  const { busy, exported } = useSiteStore(useShallow((s) => ({ busy: s.busy, exported: s.exported })));
  const mine = exported?.fileName === `${profile.id}.usher-profile.json` ? exported : undefined;
  return (
    <section aria-labelledby="site-export">
      <h2 id="site-export">Export</h2>
      <p>The site's addresses, nodes and virtual proxies as a file for another machine or a colleague: no certificate, key or ticket is in it.</p>
      <div className="row">
        <button type="button" disabled={busy !== undefined} onClick={() => void useSiteStore.getState().exportSite(profile.id)}>
          Export {profile.name}
        </button>
        {mine ? (
          <button type="button" onClick={() => saveAsFile(mine.fileName, mine.text)}>
            Save {mine.fileName}
          </button>
        ) : null}
      </div>
      <ActError act="export" />
      {mine ? <textarea className="mono" readOnly rows={6} aria-label={`Exported ${mine.fileName}`} value={mine.text} /> : null}
    </section>
  );
}

function ImportSite() {
  const busy = useSiteStore((s) => s.busy);
  const [name, setName] = useState('');
  const [file, setFile] = useState<File>();
  return (
    <section aria-labelledby="site-import">
      <h2 id="site-import">Import a site</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (file) void file.text().then((text) => useSiteStore.getState().importSite(text, name));
        }}
      >
        <div className="grid-2">
          <div className="field">
            <label htmlFor="site-import-file">Exported site file (.json)</label>
            <input id="site-import-file" type="file" accept=".json,application/json" onChange={(e) => setFile(e.target.files?.[0])} />
          </div>
          <Field label="Name (optional)" value={name} onChange={setName} maxLength={100} hint="Leave empty to keep the exported name." />
        </div>
        <div className="row">
          <button type="submit" disabled={busy !== undefined || !file}>
            Import
          </button>
        </div>
      </form>
      <ActError act="import" />
    </section>
  );
}

function RemoveSite({ profile }: { profile: Profile }) {
  const { busy, plan } = useSiteStore(useShallow((s) => ({ busy: s.busy, plan: s.plan })));
  const opener = useRef<HTMLButtonElement>(null);
  // The bar takes the button's place: focus goes back to it once it is on the page again.
  const focusLater = useFocusLater();
  const shown = plan?.profileId === profile.id ? plan : undefined;
  return (
    <section aria-labelledby="site-remove">
      <h2 id="site-remove">Remove</h2>
      {shown ? (
        <ConfirmBar
          label={`Remove ${profile.name}?`}
          question={
            <>
              Remove {profile.name}?{' '}
              {siteRemovalLines(shown, 'will').map((line) => (
                <span key={line}>{line} </span>
              ))}
            </>
          }
          action={`Remove ${profile.name}`}
          onConfirm={() => void useSiteStore.getState().remove(profile.id)}
          onCancel={() => {
            useSiteStore.getState().cancelRemoval();
            focusLater(() => opener.current);
          }}
        />
      ) : (
        <div className="row">
          <button
            ref={opener}
            type="button"
            className="danger"
            disabled={busy !== undefined}
            onClick={() => void useSiteStore.getState().planRemoval(profile.id)}
          >
            Remove {profile.name}…
          </button>
        </div>
      )}
      <ActError act="remove" />
    </section>
  );
}

export function SiteSettings() {
  const profile = useAppStore((s) => activeProfile(s));
  const done = useSiteStore((s) => s.done);
  useEffect(() => () => useSiteStore.getState().reset(), []);
  return (
    <div className="screen">
      <h1 tabIndex={-1}>Site</h1>
      {profile ? (
        <>
          <p className="lead">
            <strong>{profile.name}</strong>: {profile.nodes.length} proxy node(s), {profile.virtualProxies.length} virtual proxies as QRS last reported them.
          </p>
          {done ? (
            <p role="status" aria-label="Site">
              {done}
            </p>
          ) : null}
          {profile.builtIn ? (
            <p className="muted">
              The demo site is built in: it is made anew, with fresh certificates, every time Usher starts, so there is nothing to rename or remove. Add your
              own site with Trust, or import one below.
            </p>
          ) : (
            // Keyed by the saved version: a rename or a change made elsewhere refills the forms.
            <div key={`${profile.id}@${profile.updatedAt}`}>
              <section aria-labelledby="site-identity">
                <h2 id="site-identity">Name and addresses</h2>
                <RenameForm profile={profile} />
                <AddressesForm profile={profile} />
              </section>
              <Certificates profile={profile} />
              <ExportSite profile={profile} />
              <RemoveSite profile={profile} />
            </div>
          )}
        </>
      ) : (
        <p className="muted">No site is active.</p>
      )}
      <ImportSite />
    </div>
  );
}
