// `usher jwt keygen|show|mint|verify`: the JWT tools for JWT virtual proxies. The signing pair lives with
// the profile (key in the vault); mint and verify read the virtual proxy's claim names and certificate
// from QRS when --vp is given, so what they say is what that virtual proxy will do.
import { readFileSync } from 'node:fs';
import {
  formatAttributes,
  isQlikJwtAlgorithm,
  QLIK_JWT_ALGORITHMS,
  type JwtVerdict,
  type JwtVirtualProxySettings,
  type QlikJwtAlgorithm,
} from '../../../shared/jwt';
import { terminalValue } from '../../../shared/terminal-text';
import { formatUser } from '../../../shared/user';
import { prefixPhrase } from '../../../shared/virtual-proxy';
import { JwtKeyStore, jwtSettingsOf, keygen, mint, RSA_KEY_SIZES, verifyJwt, type HeldSigningPair, type RsaKeySize } from '../../core/jwt';
import { openAppContext } from '../app-context';
import * as v from 'valibot';
import { parseFlags, type Command } from '../command';
import { CommandFailed, UsageError } from '../errors';
import { KEY_PASSPHRASE_ENV, passphraseIfGiven } from '../passphrase';
import { printJson, printLine } from '../output';
import { PROFILE_FLAG, requireSiteUrl, withSiteConnection } from '../site-connection';
import { readUserFile } from '../user-file';
import { attributesFlag, flagInput, readFlag, readUser, requiredFlag, switchFlag, wholeNumberFlag } from '../flag-schema';

const USAGE = `
usage: usher jwt keygen --profile NAME [--alg RS256|RS384|RS512] [--bits 2048|3072|4096] [--name CN] [--days N]
                        [--key FILE [--certificate FILE]] [--replace] [--json]
       usher jwt show   --profile NAME [--json]
       usher jwt mint   --profile NAME --user DIR\\ID [--vp PREFIX] [--group NAME ...] [--attr KEY=VALUE ...]
                        [--expires-in SECONDS] [--alg RS256|RS384|RS512] [--json]
       usher jwt verify --profile NAME --vp PREFIX (TOKEN | -) [--json]
       usher jwt verify --certificate FILE --user-id-claim NAME (--directory-claim NAME | --directory DIR) (TOKEN | -) [--json]

keygen  makes the profile's JWT signing pair: an RSA key (sealed in the vault, like the site's certificates)
        and a self-signed certificate, printed to paste into the QMC: Virtual proxies > (your JWT virtual
        proxy) > Authentication > JWT certificate. --key imports an existing private key instead (its
        passphrase from ${KEY_PASSPHRASE_ENV}); --certificate keeps the certificate already in the QMC.
        On the built-in site (--profile demo) /jwt carries the certificate as if pasted.
show    prints the certificate of the profile's pair (nothing secret).
mint    prints a token for the user (default lifetime 600 s). With --vp the claims are named the way that
        virtual proxy reads them, and what it will make of the token is said on stderr.
verify  says what the virtual proxy will take from a token (user directory, user id, attributes), or
        the reason it refuses it: bad signature, algorithm not allowed, expired or not yet valid (Qlik
        allows 300 s of clock difference), missing claims. Exit 1 when it refuses. "-" reads stdin.

Qlik JWT virtual proxies verify RS256, RS384 and RS512 only.
`;

const FLAGS = {
  ...PROFILE_FLAG,
  alg: { type: 'string' },
  bits: { type: 'string' },
  name: { type: 'string' },
  days: { type: 'string' },
  key: { type: 'string' },
  certificate: { type: 'string' },
  replace: { type: 'boolean' },
  user: { type: 'string' },
  vp: { type: 'string' },
  group: { type: 'string', multiple: true },
  attr: { type: 'string', multiple: true },
  'expires-in': { type: 'string' },
  'user-id-claim': { type: 'string' },
  'directory-claim': { type: 'string' },
  directory: { type: 'string' },
  json: { type: 'boolean' },
} as const;

const ACTIONS = ['keygen', 'show', 'mint', 'verify'] as const;
type Action = (typeof ACTIONS)[number];

// --- the flags of each action, read by valibot schemas (cli/flag-schema.ts) ---------------------------

function readAlgorithm(text: string): QlikJwtAlgorithm {
  if (!isQlikJwtAlgorithm(text))
    throw new UsageError(`--alg ${JSON.stringify(text)} is not an algorithm Qlik verifies`, `use one of ${QLIK_JWT_ALGORITHMS.join(', ')}`);
  return text;
}

const algFlag = readFlag(readAlgorithm);

/** `--profile`, which every action but an offline verify needs: the signing pair belongs to it. */
function profileFlag(action: Action) {
  return requiredFlag((text) => text, `usher jwt ${action} needs --profile NAME`, 'the signing pair belongs to a profile; the built-in site is --profile demo');
}

/** `--vp PREFIX`: a virtual proxy prefix, slashes trimmed. */
const prefixFlag = readFlag((text) => text.replace(/^\/+|\/+$/g, ''));

/** `--bits`: a size of RSA key Usher makes. */
const bitsFlag = v.pipe(
  wholeNumberFlag('bits', 2048, 4096),
  v.transform((bits) => {
    if (bits !== undefined && !RSA_KEY_SIZES.includes(bits as RsaKeySize)) throw new UsageError(`--bits must be one of ${RSA_KEY_SIZES.join(', ')}`);
    return bits as RsaKeySize | undefined;
  }),
);

const KEYGEN_INPUT = v.pipe(
  v.object({
    profile: profileFlag('keygen'),
    alg: algFlag,
    bits: bitsFlag,
    name: v.optional(v.string()),
    days: wholeNumberFlag('days', 1, 3650),
    key: v.optional(v.string()),
    certificate: v.optional(v.string()),
    replace: switchFlag,
    json: switchFlag,
  }),
  v.transform((input) => {
    if (input.certificate && !input.key) throw new UsageError('--certificate goes with --key (the certificate of the key you import)');
    return input;
  }),
);

const SHOW_INPUT = v.object({ profile: profileFlag('show'), json: switchFlag });

const MINT_INPUT = v.object({
  profile: profileFlag('mint'),
  user: requiredFlag((text) => readUser('user', text), '--user is required', 'for example --user "MASHUP\\a1-sales" (or MASHUP/a1-sales)'),
  'expires-in': wholeNumberFlag('expires-in', 1, 30 * 24 * 60 * 60),
  alg: algFlag,
  attr: attributesFlag,
  group: v.optional(v.array(v.string())),
  vp: prefixFlag,
  json: switchFlag,
});

/** What `verify` checks against: a certificate and claim names given offline, or a virtual proxy QRS describes. */
type VerifyAgainst = { kind: 'offline'; certificate: string; userIdClaim: string; userDirectory: string } | { kind: 'site'; profile: string; vp: string };

function verifyAgainst(input: {
  certificate?: string;
  profile?: string;
  vp?: string;
  'user-id-claim'?: string;
  'directory-claim'?: string;
  directory?: string;
}): VerifyAgainst {
  if (input.certificate) {
    if (input.profile || input.vp !== undefined)
      throw new UsageError('--certificate verifies offline: drop --profile and --vp (or drop --certificate to read the virtual proxy from QRS)');
    const userIdClaim = input['user-id-claim'];
    if (!userIdClaim) throw new UsageError('--certificate needs --user-id-claim NAME (the virtual proxy\'s "JWT attribute for user ID")');
    const userDirectory = input.directory ? `[${input.directory}]` : input['directory-claim'];
    if (!userDirectory) throw new UsageError('--certificate needs --directory-claim NAME or --directory DIR (static)');
    return { kind: 'offline', certificate: input.certificate, userIdClaim, userDirectory };
  }
  if (!input.profile)
    throw new UsageError('usher jwt verify needs --profile NAME', 'the signing pair belongs to a profile; the built-in site is --profile demo');
  if (input.vp === undefined) throw new UsageError('usher jwt verify needs --vp PREFIX (the JWT virtual proxy to verify against)');
  return { kind: 'site', profile: input.profile, vp: input.vp };
}

const VERIFY_INPUT = v.pipe(
  v.object({
    certificate: v.optional(v.string()),
    profile: v.optional(v.string()),
    vp: prefixFlag,
    'user-id-claim': v.optional(v.string()),
    'directory-claim': v.optional(v.string()),
    directory: v.optional(v.string()),
    json: switchFlag,
  }),
  v.transform((input) => ({ against: verifyAgainst(input), json: input.json })),
);

type Words = ReturnType<typeof parseFlags<typeof FLAGS>>['values'];

async function keyStore(): Promise<{ store: JwtKeyStore; profile: (name: string) => Promise<{ id: string; name: string }> }> {
  const app = await openAppContext();
  return { store: new JwtKeyStore(app.dataDir, app.vault), profile: (name) => app.profiles.get(name) };
}

function printPair(pair: HeldSigningPair, heading: string): void {
  printLine(heading);
  printLine(`  subject ${pair.subject}, RSA ${pair.keyBits} bits, signs ${pair.algorithm}`);
  printLine(`  SHA-256 ${pair.fingerprint256}`);
  printLine(
    `  valid ${pair.notBefore} to ${pair.notAfter}; key ${pair.storage === 'keychain' ? 'sealed in the vault' : 'in memory for this run only (no usable keychain)'}`,
  );
  printLine('');
  printLine('Paste this into the QMC: Virtual proxies > (the JWT virtual proxy) > Authentication > JWT certificate');
  printLine(pair.certificatePem.trimEnd());
}

/** The virtual proxy's JWT settings, read from the profile's QRS. */
async function virtualProxySettings(profile: string, prefix: string): Promise<JwtVirtualProxySettings> {
  return withSiteConnection({ profile }, async (site) => {
    const vp = await site.connection.qrs(requireSiteUrl(site, 'qrs')).virtualProxy(prefix);
    if (!vp)
      throw new UsageError(`the site has no virtual proxy ${prefixPhrase(prefix)}`, 'see usher proxies --profile NAME for the virtual proxies QRS lists');
    return jwtSettingsOf(vp);
  });
}

function readToken(positional: string | undefined): string {
  if (positional === undefined) throw new UsageError('usher jwt verify needs the token (or - to read it from stdin)');
  const text = positional === '-' ? readFileSync(0, 'utf8') : positional;
  const token = text.trim();
  if (token === '') throw new UsageError('the token is empty');
  if (token.length > 64 * 1024) throw new UsageError(`the token has ${token.length} characters; a JWT for Qlik is far shorter`);
  return token;
}

function printVerdict(verdict: JwtVerdict, where: string): void {
  if (verdict.ok) {
    printLine(`${where} logs in ${terminalValue(formatUser(verdict), 200)}`);
    printLine(
      `  user id from claim "${terminalValue(verdict.userIdClaim, 100)}", directory ${verdict.userDirectorySource === 'static' ? 'static' : `from claim "${terminalValue(verdict.userDirectorySource, 100)}"`}`,
    );
    const attributes = formatAttributes(verdict.attributes);
    printLine(`  attributes: ${terminalValue(attributes || '(none)', 500)}`);
    printLine(`  expires: ${verdict.expiresAt ?? 'never'}`);
    for (const note of verdict.notes) printLine(`  note: ${note}`);
    return;
  }
  printLine(`${where} refuses the token (${verdict.code}): ${terminalValue(verdict.message, 500)}`);
  printLine(`  fix: ${terminalValue(verdict.hint, 500)}`);
}

async function runKeygen(words: Words): Promise<void> {
  const values = flagInput(KEYGEN_INPUT, words, 'jwt');
  const importKey = values.key
    ? {
        keyPem: readUserFile(values.key, 'the private key').toString('utf8'),
        ...(values.certificate ? { certificatePem: readUserFile(values.certificate, 'the certificate').toString('utf8') } : {}),
        ...(await passphraseOf()),
      }
    : undefined;
  const { store, profile } = await keyStore();
  const p = await profile(values.profile);
  const held = await keygen(store, {
    profileId: p.id,
    profileName: p.name,
    replace: values.replace,
    ...(values.alg ? { algorithm: values.alg } : {}),
    ...(values.name ? { commonName: values.name } : {}),
    ...(values.days ? { validDays: values.days } : {}),
    ...(values.bits ? { bits: values.bits } : {}),
    ...(importKey ? { importKey } : {}),
  });
  if (values.json) return printJson(held);
  printPair(held, `${importKey ? 'Imported' : 'Made'} the JWT signing pair of profile "${p.name}"`);
}

async function passphraseOf(): Promise<{ passphrase?: string }> {
  const passphrase = await passphraseIfGiven(KEY_PASSPHRASE_ENV, 'the private key', { prompt: false });
  return passphrase === undefined ? {} : { passphrase };
}

async function runShow(words: Words): Promise<void> {
  const values = flagInput(SHOW_INPUT, words, 'jwt');
  const { store, profile } = await keyStore();
  const p = await profile(values.profile);
  const held = await store.held(p.id);
  if (!held) throw new CommandFailed(`Usher holds no JWT signing pair for profile "${p.name}"`, `make one: usher jwt keygen --profile "${p.name}"`);
  if (values.json) return printJson(held);
  printPair(held, `The JWT signing pair of profile "${p.name}"`);
}

async function runMint(words: Words): Promise<void> {
  const values = flagInput(MINT_INPUT, words, 'jwt');
  const { user, vp: prefix } = values;
  const { store, profile } = await keyStore();
  const p = await profile(values.profile);
  // The key is checked before the site is reached: no pair, no reason to start anything.
  if (!(await store.held(p.id)))
    throw new CommandFailed(`Usher holds no JWT signing pair for profile "${p.name}"`, `make one: usher jwt keygen --profile "${p.name}"`);
  const virtualProxy = prefix === undefined ? undefined : await virtualProxySettings(values.profile, prefix);
  const result = await mint(store, {
    profileId: p.id,
    profileName: p.name,
    user,
    ...(values.group ? { groups: values.group } : {}),
    attributes: values.attr,
    ...(values['expires-in'] !== undefined ? { expiresInSeconds: values['expires-in'] } : {}),
    ...(values.alg ? { algorithm: values.alg } : {}),
    ...(virtualProxy ? { virtualProxy } : {}),
  });
  if (values.json) return printJson(result);
  // The token alone on stdout, so TOKEN=$(usher jwt mint ...) works; the rest on stderr.
  printLine(result.token);
  process.stderr.write(`usher: token for ${formatUser(user)}, expires ${result.expiresAt}\n`);
  if (result.verdict && !result.verdict.ok) process.stderr.write(`usher: warning: ${prefixPhrase(prefix ?? '')} will refuse it: ${result.verdict.message}\n`);
}

async function runVerify(words: Words, positional: string | undefined): Promise<void> {
  const token = readToken(positional);
  const { against, json } = flagInput(VERIFY_INPUT, words, 'jwt');
  const settings: JwtVirtualProxySettings =
    against.kind === 'offline'
      ? {
          prefix: '',
          jwtPublicKeyCertificate: readUserFile(against.certificate, 'the JWT certificate').toString('utf8'),
          jwtAttributeUserId: against.userIdClaim,
          jwtAttributeUserDirectory: against.userDirectory,
          jwtAttributeMap: [],
        }
      : await virtualProxySettings(against.profile, against.vp);
  const verdict = verifyJwt(token, settings);
  if (json) printJson(verdict);
  else printVerdict(verdict, against.kind === 'offline' ? 'the certificate' : prefixPhrase(settings.prefix));
  if (!verdict.ok) throw new CommandFailed(`the token is refused: ${verdict.code}`);
}

export const jwtCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, FLAGS, 'jwt', true);
    const [action, token, ...extra] = positionals;
    if (!ACTIONS.includes(action as Action)) {
      throw new UsageError(action ? `unknown jwt action "${action}"` : 'usher jwt needs an action', `actions: ${ACTIONS.join(', ')}`);
    }
    if (extra.length > 0 || (token !== undefined && action !== 'verify'))
      throw new UsageError(`unexpected argument "${extra[0] ?? token}"`, 'see: usher help jwt');
    switch (action as Action) {
      case 'keygen':
        return runKeygen(values);
      case 'show':
        return runShow(values);
      case 'mint':
        return runMint(values);
      case 'verify':
        return runVerify(values, token);
    }
  },
};
