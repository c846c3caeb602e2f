// JWT tools for JWT virtual proxies: the site's signing pair (its certificate to paste into the QMC), a
// test token minted for a user, and what a virtual proxy makes of a token. The main process holds the
// private key and the minted tokens: this screen sees the certificate, masked tokens and verdicts.
import { useState } from 'react';
import type { JwtMintView, JwtSigningPairView } from '../../../shared/ipc/contract';
import { formatAttributes, type JwtVerdict } from '../../../shared/jwt';
import { formatUser, parseUser } from '../../../shared/user';
import { call, toUiError } from '../api';
import { ErrorNote } from '../components/ErrorNote';
import { Field } from '../components/Field';
import { useAppStore } from '../stores/app-store';
import type { IpcError } from '../../../shared/ipc/contract';

function Verdict({ verdict }: { verdict: JwtVerdict }) {
  if (!verdict.ok) {
    return (
      <div className="verdict refused" role="status">
        <p>
          Refused ({verdict.code}): {verdict.message}
        </p>
        <p>Fix: {verdict.hint}</p>
      </div>
    );
  }
  const attributes = formatAttributes(verdict.attributes);
  return (
    <div className="verdict accepted" role="status">
      <p>Logs in {formatUser(verdict)}</p>
      <p>Attributes: {attributes || 'none'}</p>
      <p>Expires: {verdict.expiresAt ?? 'never'}</p>
      {verdict.notes.map((note) => (
        <p key={note}>Note: {note}</p>
      ))}
    </div>
  );
}

/** Runs an action of a panel, keeping its failure to show there. */
function useAction(): [IpcError | undefined, (work: () => Promise<void>) => void] {
  const [error, setError] = useState<IpcError | undefined>(undefined);
  const run = (work: () => Promise<void>): void => {
    setError(undefined);
    work().catch((err: unknown) => setError(toUiError(err)));
  };
  return [error, run];
}

function PairPanel({ profileId }: { profileId: string }) {
  const [pair, setPair] = useState<JwtSigningPairView | null | undefined>(undefined);
  const [error, run] = useAction();
  return (
    <section aria-labelledby="jwt-pair">
      <h2 id="jwt-pair">Signing pair</h2>
      {error ? <ErrorNote error={error} /> : null}
      <div className="row">
        <button type="button" onClick={() => run(async () => setPair(await call('jwt.show', { profileId })))}>
          Show the pair
        </button>
        <button type="button" onClick={() => run(async () => setPair(await call('jwt.keygen', { profileId, replace: Boolean(pair) })))}>
          {pair ? 'Make a new pair' : 'Make a signing pair'}
        </button>
      </div>
      {pair === null ? <p>This site has no JWT signing pair yet.</p> : null}
      {pair ? (
        <div>
          <p>
            {pair.subject}, RSA {pair.keyBits} bits, signs {pair.algorithm}; valid until {pair.notAfter}. Paste this into the QMC: Virtual proxies, the JWT
            virtual proxy, Authentication, JWT certificate.
          </p>
          <label htmlFor="jwt-certificate">Certificate to paste</label>
          <textarea id="jwt-certificate" className="mono" readOnly rows={8} value={pair.certificatePem} />
        </div>
      ) : null}
    </section>
  );
}

function MintPanel({ profileId, prefix }: { profileId: string; prefix: string }) {
  const [user, setUser] = useState('');
  const [groups, setGroups] = useState('');
  const [minted, setMinted] = useState<JwtMintView | undefined>(undefined);
  const [copied, setCopied] = useState('');
  const [error, run] = useAction();
  const parsedUser = parseUser(user);
  const mint = (): void =>
    run(async () => {
      if (!parsedUser) return;
      const list = groups
        .split(',')
        .map((g) => g.trim())
        .filter(Boolean);
      setCopied('');
      setMinted(
        await call('jwt.mint', {
          profileId,
          virtualProxy: prefix,
          userDirectory: parsedUser.userDirectory,
          userId: parsedUser.userId,
          groups: list,
          attributes: [],
        }),
      );
    });
  return (
    <section aria-labelledby="jwt-mint">
      <h2 id="jwt-mint">Mint a token</h2>
      {error ? <ErrorNote error={error} /> : null}
      <div className="row">
        <Field
          label="User"
          value={user}
          onChange={setUser}
          hint="DIRECTORY\user"
          error={user && !parsedUser ? 'Write the user as DIRECTORY\\user' : undefined}
        />
        <Field label="Groups" value={groups} onChange={setGroups} hint="Comma-separated, optional" />
      </div>
      <button type="button" disabled={!parsedUser} onClick={mint}>
        Mint
      </button>
      {minted ? (
        <div>
          <p>
            Token <span className="mono">{minted.tokenMasked}</span>, expires {minted.expiresAt}.{' '}
            <button type="button" onClick={() => run(async () => setCopied((await call('jwt.copy', { tokenId: minted.tokenId })).preview))}>
              Copy the token
            </button>
            {copied ? <span role="status"> Copied ({copied}).</span> : null}
          </p>
          <Verdict verdict={minted.verdict} />
        </div>
      ) : null}
    </section>
  );
}

function VerifyPanel({ profileId, prefix }: { profileId: string; prefix: string }) {
  const [token, setToken] = useState('');
  const [verdict, setVerdict] = useState<JwtVerdict | undefined>(undefined);
  const [error, run] = useAction();
  return (
    <section aria-labelledby="jwt-verify">
      <h2 id="jwt-verify">Verify a token</h2>
      {error ? <ErrorNote error={error} /> : null}
      <label htmlFor="jwt-token">Token</label>
      <textarea id="jwt-token" className="mono" rows={4} value={token} onChange={(e) => setToken(e.target.value)} spellCheck={false} />
      <button
        type="button"
        disabled={token.trim() === ''}
        onClick={() => run(async () => setVerdict(await call('jwt.verify', { profileId, virtualProxy: prefix, token: token.trim() })))}
      >
        Verify against {prefix ? `/${prefix}` : 'the default virtual proxy'}
      </button>
      {verdict ? <Verdict verdict={verdict} /> : null}
    </section>
  );
}

export function JwtTools() {
  const profileId = useAppStore((s) => s.activeProfileId);
  const [virtualProxy, setVirtualProxy] = useState('jwt');
  const prefix = virtualProxy.trim().replace(/^\/+|\/+$/g, '');
  return (
    <div className="screen">
      <h1 tabIndex={-1}>JWT</h1>
      <p className="lead">
        A signing pair for JWT virtual proxies, a test token for a user, and what the virtual proxy makes of a token. The private key stays in the vault.
      </p>
      <Field label="JWT virtual proxy" value={virtualProxy} onChange={setVirtualProxy} hint="Its prefix, for example jwt" />
      <PairPanel profileId={profileId} />
      <MintPanel profileId={profileId} prefix={prefix} />
      <VerifyPanel profileId={profileId} prefix={prefix} />
    </div>
  );
}
