// `usher profile add|list|show|check|remove|export|import`: sites kept as profiles, their certificates
// in the vault (never in the profile file), checked step by step.
import { prefixLabel } from '../../../shared/virtual-proxy';
import { checkTrust } from '../../core/operations/trust-check';
import { profileIdFromName, type Profile } from '../../../shared/profile';
import { trustCheckStopLine } from '../../../shared/trust-check';
import { validateCertificateSet, type CertificateInput } from '../../core/certs';
import { createProfileWithCertificates, replaceProfileCertificates } from '../../core/profiles/certificate-bundle';
import { profileFromTrustCheck } from '../../core/profiles/from-trust-check';
import { removeSite, renameSite, setSiteAddresses } from '../../core/profiles/site-admin';
import { siteRemovalLines } from '../../../shared/site-admin';
import { ProfileError } from '../../core/profiles';
import { VAULT_PASSPHRASE_ENV, VaultError } from '../../core/vault';
import { parseSocketOrigin } from './scenario-socket';
import type { TrustCheckInput, TrustCheckResult } from '../../core/checks/trust-check';
import { findProfile, openAppContext, type AppContext } from '../app-context';
import * as v from 'valibot';
import { parseFlags, type Command } from '../command';
import { CONNECTION_FLAGS, parseBaseUrl, timeoutMsFlag } from '../connection-flags';
import { flagInput, readFlag, requiredFlag, switchFlag, userFlag } from '../flag-schema';
import { CommandFailed, UsageError } from '../errors';
import { formatTable, printJson, printJsonText, printLine, printNote } from '../output';
import { KEY_PASSPHRASE_ENV, PFX_PASSPHRASE_ENV, obtainPassphrase } from '../passphrase';
import { trustStepPrinter } from '../trust-output';
import { readUserFile, writeUserFile } from '../user-file';

const USAGE = `
usage: usher profile <action> ...

  add NAME (--from DIR | --cert client.pem --key client_key.pem --ca root.pem | --pfx client.pfx [--ca root.pem])
           --qps URL --qrs URL [--virtual-proxy PREFIX] [--user-directory DIR] [--replace] [--memory-only]
      Imports the certificates (a QMC export folder, the PEM files, or a PFX; legacy PFX files too),
      checks them and the site step by step, stores them encrypted in the vault (key in the OS keychain,
      or sealed by USHER_VAULT_PASSPHRASE without one) and saves the profile with the nodes and virtual
      proxies QRS reports. --replace updates a profile (same id, new certificates). A name another
      profile has is refused; one that only looks alike ("Prod EU", "Prod/EU") gets an id of its own.
      Without keychain or passphrase the certificates could only live in memory until the command ends:
      add exits 1 unless --memory-only says that is what you want.
  list [--json]                  the profiles (the built-in demo site first)
  show NAME [--json]             a profile, and what its certificates say (never the secrets)
  check NAME [--ticket-user DIR\\ID] [--virtual-proxy PREFIX] [--socket-origin URL] [--json]
      The trust check: files -> chain and validity -> TCP -> server certificate -> client certificate ->
      QRS -> discovery [-> a real ticket redeemed and its session ended] [-> with --socket-origin, the
      engine WebSocket a mashup there opens for that user: one line per piece, the first missing one
      with its QMC fix, a warning]. Exit 1 when a step fails.
  remove NAME                    the profile and its certificates in the vault (the keychain's data key stays)
  rename NAME --name NEW         the same profile (id, certificates) under a new name
  set-addresses NAME --qps URL --qrs URL   new addresses; then check it to refresh nodes and virtual proxies
  export NAME [--out FILE]       the profile without any secret (stdout by default)
  import FILE [--name NAME]      a profile exported elsewhere (add certificates with add --replace)

Passphrases (PFX, encrypted key): USHER_PFX_PASSPHRASE / USHER_KEY_PASSPHRASE, or a prompt on a terminal.
`;

const FLAGS = {
  ...CONNECTION_FLAGS,
  from: { type: 'string' },
  'virtual-proxy': { type: 'string' },
  'user-directory': { type: 'string' },
  'ticket-user': { type: 'string' },
  'socket-origin': { type: 'string' },
  replace: { type: 'boolean' },
  'memory-only': { type: 'boolean' },
  json: { type: 'boolean' },
  out: { type: 'string' },
  name: { type: 'string' },
} as const;

type Words = ReturnType<typeof parse>['values'];

function parse(argv: string[]) {
  return parseFlags(argv, FLAGS, 'profile', true);
}

// --- the flags of each action, read by valibot schemas (cli/flag-schema.ts) ---------------------------

/** Where the certificates come from: a QMC export folder, the PEM files, or a PFX (with or without root.pem). */
function certificateInput(files: { from?: string; cert?: string; key?: string; ca?: string; pfx?: string }): CertificateInput {
  if (files.from) {
    if (files.cert || files.key || files.pfx) throw new UsageError('give --from DIR, or the files, not both');
    return { kind: 'folder', path: files.from };
  }
  if (files.pfx) {
    if (files.cert || files.key) throw new UsageError('give either --pfx or --cert with --key, not both');
    return { kind: 'pfx', pfxPath: files.pfx, caPath: files.ca };
  }
  if (files.cert && files.key && files.ca) return { kind: 'pem', certPath: files.cert, keyPath: files.key, caPath: files.ca };
  throw new UsageError(
    'certificates are required: --from DIR (a QMC export), --cert/--key/--ca, or --pfx',
    'QMC > Certificates > Export writes client.pem, client_key.pem, root.pem (and client.pfx)',
  );
}

/**
 * A service address the action cannot do without: `--qps is required` when absent or empty, else
 * `https://host:port` (the default '' keeps the key required in the derived type).
 */
function requiredAddress(flag: 'qps' | 'qrs') {
  return v.pipe(
    v.optional(v.string(), ''),
    v.transform((text) => parseBaseUrl(flag, text)),
  );
}

const ADD_INPUT = v.pipe(
  v.object({
    qps: requiredAddress('qps'),
    qrs: requiredAddress('qrs'),
    'timeout-ms': timeoutMsFlag,
    from: v.optional(v.string()),
    cert: v.optional(v.string()),
    key: v.optional(v.string()),
    ca: v.optional(v.string()),
    pfx: v.optional(v.string()),
    'virtual-proxy': v.optional(v.string()),
    'user-directory': v.optional(v.string()),
    replace: switchFlag,
    'memory-only': switchFlag,
  }),
  v.transform((input) => ({ ...input, certificates: certificateInput(input) })),
);

type AddInput = v.InferOutput<typeof ADD_INPUT>;

const JSON_INPUT = v.object({ json: switchFlag });

const CHECK_INPUT = v.pipe(
  v.object({
    'ticket-user': userFlag('ticket-user'),
    'virtual-proxy': v.optional(v.string()),
    'socket-origin': readFlag((text) => parseSocketOrigin(text, 'socket-origin')),
    'timeout-ms': timeoutMsFlag,
    json: switchFlag,
  }),
  v.transform((input) => {
    if (input['socket-origin'] !== undefined && !input['ticket-user'])
      throw new UsageError(
        '--socket-origin needs --ticket-user: the user the mashup logs in',
        'for example --ticket-user "MYDOMAIN\\alice" --socket-origin https://mashup.example.com',
      );
    return input;
  }),
);

type CheckInput = v.InferOutput<typeof CHECK_INPUT>;

const RENAME_INPUT = v.object({
  name: requiredFlag((text) => text, 'usher profile rename needs the new name: usher profile rename NAME --name NEW'),
});

const SET_ADDRESSES_NEEDS = 'usher profile set-addresses needs --qps URL and --qrs URL';
const SET_ADDRESSES_INPUT = v.object({
  qps: requiredFlag((text) => text, SET_ADDRESSES_NEEDS),
  qrs: requiredFlag((text) => text, SET_ADDRESSES_NEEDS),
});

const EXPORT_INPUT = v.object({ out: v.optional(v.string()) });
const IMPORT_INPUT = v.object({ name: v.optional(v.string()) });

/** Asked by the check's first step only when the files turn out to need a passphrase (a PFX, an encrypted key). */
function askPassphrase(input: CertificateInput): (file: string | undefined) => Promise<string> {
  return (file) => {
    const isPfx = input.kind === 'pfx' || /\.pfx$|\.p12$/i.test(file ?? '');
    return obtainPassphrase(isPfx ? PFX_PASSPHRASE_ENV : KEY_PASSPHRASE_ENV, file ? `the file ${file}` : 'the certificates');
  };
}

function profileFromCheck(name: string, values: AddInput, result: TrustCheckResult, existing?: Profile): Profile {
  return profileFromTrustCheck({
    name,
    qps: values.qps,
    qrs: values.qrs,
    defaultVirtualProxy: values['virtual-proxy'],
    defaultUserDirectory: values['user-directory'],
    result,
    existing,
  });
}

async function add(app: AppContext, name: string | undefined, words: Words): Promise<void> {
  if (!name) throw new UsageError('a profile name is required: usher profile add NAME --from DIR --qps URL --qrs URL');
  const values = flagInput(ADD_INPUT, words, 'profile');
  const { certificates: input, qps, qrs, 'timeout-ms': timeoutMs } = values;
  const existing = await findProfile(app, name);
  if (existing && !values.replace) throw new UsageError(`a profile named "${existing.name}" exists`, 'add --replace to update it, or pick another name');
  if (existing?.builtIn) throw new UsageError(`"${existing.name}" is the built-in demo site and cannot be replaced`);
  // Opened first, so that a missing keychain is said before the check runs.
  const vault = await app.vault();

  printLine(`Checking the certificates and ${new URL(qps).host}...`);
  const audit = { log: app.audit, profile: `(trust check ${new URL(qps).host})` };
  const result = await checkTrust(
    { certificates: { from: 'files', input, askPassphrase: askPassphrase(input) }, qps, qrs, timeoutMs, audit },
    trustStepPrinter(printLine),
  );
  const fatal = result.steps.find((s) => (s.id === 'files' || s.id === 'chain') && s.status === 'fail');
  // Files that cannot be read or do not fit together are what the user pointed at: bad input, exit 2.
  if (fatal || !result.set) throw new UsageError(`not saved: ${fatal?.cause ?? 'the certificates could not be read'}`, fatal?.fix);
  // Never a success that is gone at the next command: memory only is a choice, not a fallback.
  if (vault.mode.kind === 'memory' && !values['memory-only']) {
    throw new VaultError(
      'KEYCHAIN_UNAVAILABLE',
      `not saved: with no usable keychain the certificates would be kept in memory only and be gone when this command ends (${vault.mode.reason})`,
      `set ${VAULT_PASSPHRASE_ENV} to keep them in a vault sealed by a passphrase, or add --memory-only to save the profile anyway`,
    );
  }

  const candidate = profileFromCheck(name, values, result, existing);
  let profile: Profile;
  try {
    profile = existing
      ? await replaceProfileCertificates(app.profiles, vault, candidate, result.set)
      : await createProfileWithCertificates(app.profiles, vault, candidate, result.set);
  } catch (err) {
    // Another process may have taken the name since the check above.
    if (err instanceof ProfileError && err.code === 'NAME_TAKEN') throw new UsageError(`not saved: ${err.message}`, err.hint);
    throw err;
  }
  const where =
    vault.mode.kind === 'keychain'
      ? `encrypted in the vault (key in the ${vault.mode.keychain})`
      : 'in memory only: they are gone when this command ends, and the profile is then left without certificates';
  const id = profile.id === profileIdFromName(profile.name) ? '' : ` as id ${profile.id} (another profile has ${profileIdFromName(profile.name)})`;
  printLine(
    `\nSaved profile "${profile.name}"${id} (${profile.nodes.length} node(s), ${profile.virtualProxies.length} virtual proxies); certificates ${where}.`,
  );
  if (!result.ok) {
    const stopped = trustCheckStopLine(result.steps) ?? 'a step did not pass';
    throw new CommandFailed(`saved, but the site check did not pass (${stopped}); then run usher profile check ${JSON.stringify(profile.name)}`);
  }
}

function list(profiles: Profile[], json: boolean): void {
  if (json) return printJson(profiles);
  printLine(
    formatTable(profiles, [
      { header: 'Name', value: (p) => p.name + (p.builtIn ? ' (built-in)' : '') },
      { header: 'QPS', value: (p) => (p.builtIn ? 'started on use' : p.qps) },
      { header: 'Nodes', value: (p) => (p.builtIn ? '2' : String(p.nodes.length)) },
      {
        header: 'Certificates',
        value: (p) =>
          p.builtIn
            ? 'made in memory'
            : p.certificates
              ? `${p.certificates.clientSubject}, until ${p.certificates.validTo.slice(0, 10)} (${p.certificates.storage})`
              : 'none',
      },
    ]),
  );
}

async function show(app: AppContext, name: string, json: boolean): Promise<void> {
  const profile = await app.profiles.get(name);
  const report = profile.certificates ? validateCertificateSet(await app.loadCertificates(profile)) : undefined;
  if (json) return printJson({ profile, certificates: report });
  const rows: Array<[string, string]> = [
    ['Name', profile.name],
    ['QPS', profile.qps],
    ['QRS', profile.qrs],
    ['Default virtual proxy', prefixLabel(profile.defaultVirtualProxy)],
    ['Nodes', profile.nodes.map((n) => `${n.name} (${n.hostName})`).join(', ') || '-'],
    ['Virtual proxies', profile.virtualProxies.map((vp) => prefixLabel(vp.prefix)).join(', ') || '-'],
  ];
  if (report) {
    rows.push(['Client certificate', `${report.client.subject}, issued by ${report.client.issuer}`]);
    rows.push(['Fingerprint (SHA-256)', report.client.fingerprint256]);
    rows.push(['Valid', `${report.client.validFrom} .. ${report.client.validTo}`]);
    for (const f of report.findings) rows.push([`  ${f.status}`, `${f.title}${f.status === 'pass' ? '' : `: ${f.detail}`}`]);
  }
  printLine(
    formatTable(rows, [
      { header: 'Field', value: (r) => r[0] },
      { header: 'Value', value: (r) => r[1] },
    ]),
  );
}

async function check(app: AppContext, name: string, values: CheckInput): Promise<void> {
  const profile = await app.profiles.get(name);
  if (profile.builtIn) throw new UsageError('the built-in demo site needs no check: usher demo walks it');
  const set = await app.loadCertificates(profile);
  const user = values['ticket-user'];
  const ticketTest: TrustCheckInput['ticketTest'] = user ? { user, virtualProxy: values['virtual-proxy'] ?? profile.defaultVirtualProxy } : undefined;
  const origin = values['socket-origin'];
  const socketTest: TrustCheckInput['socketTest'] = ticketTest && origin !== undefined ? { ...ticketTest, origin } : undefined;
  if (!values.json) printLine(`Trust check of "${profile.name}" (${new URL(profile.qps).host})`);
  const result = await checkTrust(
    {
      certificates: { from: 'set', set, origin: `the vault (profile "${profile.name}")` },
      qps: profile.qps,
      qrs: profile.qrs,
      ticketTest,
      ...(socketTest ? { socketTest } : {}),
      timeoutMs: values['timeout-ms'],
      audit: { log: app.audit, profile: profile.id },
    },
    values.json ? undefined : trustStepPrinter(printLine),
  );
  if (values.json) printJson({ ok: result.ok, steps: result.steps, certificates: result.certificates });
  if (!result.ok) throw new CommandFailed(trustCheckStopLine(result.steps) ?? 'the trust check did not pass');
  if (!values.json) printLine('\nAll steps passed.');
}

/** A name or address the person typed that the core refuses is bad input: exit 2, not 1. */
function typedAsUsage(err: unknown): never {
  if (err instanceof ProfileError && (err.code === 'INVALID' || err.code === 'NAME_TAKEN')) throw new UsageError(err.message, err.hint);
  throw err;
}

export const profileCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const { values: words, positionals } = parse(argv);
    const [action, target, ...extra] = positionals;
    const read = <S extends v.GenericSchema>(schema: S): v.InferOutput<S> => flagInput(schema, words, 'profile');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, 'quote names with spaces');
    const app = await openAppContext();
    const need = (what: string): string => {
      if (!target) throw new UsageError(`usher profile ${action} needs ${what}`);
      return target;
    };
    switch (action) {
      case 'add':
        return add(app, target, words);
      case 'list': {
        const { profiles, problems } = await app.profiles.list();
        for (const p of problems) printNote(`usher: set aside a damaged profile file ${p.file} (${p.reason}); moved to ${p.movedTo}`);
        return list(profiles, read(JSON_INPUT).json);
      }
      case 'show':
        return show(app, need('a profile name'), read(JSON_INPUT).json);
      case 'check':
        return check(app, need('a profile name'), read(CHECK_INPUT));
      case 'remove': {
        const removed = await removeSite(app.profiles, await app.vault(), need('a profile name'));
        printLine(`removed profile "${removed.name}"`);
        for (const line of siteRemovalLines(removed, 'did')) printLine(`  ${line}`);
        return;
      }
      case 'rename': {
        const { name: newName } = read(RENAME_INPUT);
        const renamed = await renameSite(app.profiles, need('a profile name'), newName).catch(typedAsUsage);
        printLine(`renamed to "${renamed.name}" (id ${renamed.id}, certificates unchanged)`);
        return;
      }
      case 'set-addresses': {
        const addresses = read(SET_ADDRESSES_INPUT);
        const saved = await setSiteAddresses(app.profiles, need('a profile name'), addresses).catch(typedAsUsage);
        printLine(
          `"${saved.name}": QPS ${saved.qps}, QRS ${saved.qrs}; run usher profile check ${JSON.stringify(saved.name)} to refresh its nodes and virtual proxies`,
        );
        return;
      }
      case 'export': {
        const { out } = read(EXPORT_INPUT);
        const text = await app.profiles.exportProfile(need('a profile name'));
        if (out) {
          writeUserFile(out, text.endsWith('\n') ? text : `${text}\n`, `--out ${out}`);
          printLine(`exported to ${out} (no certificates: import them with usher profile add --replace)`);
        } else {
          printJsonText(text);
        }
        return;
      }
      case 'import': {
        const { name } = read(IMPORT_INPUT);
        const file = need('the exported file');
        const text = readUserFile(file, file).toString('utf8');
        const profile = await app.profiles.importProfile(text, name ? { name } : undefined);
        printLine(
          `imported profile "${profile.name}"; add its certificates: usher profile add "${profile.name}" --replace --from DIR --qps ${profile.qps} --qrs ${profile.qrs}`,
        );
        return;
      }
      case undefined:
        throw new UsageError('usher profile needs an action: add, list, show, check, remove, rename, set-addresses, export or import');
      default:
        throw new UsageError(`unknown profile action "${action}"`, 'actions: add, list, show, check, remove, rename, set-addresses, export, import');
    }
  },
};
