// The console's JWT tools: the profile's signing pair (made here, key sealed in the vault), tokens minted
// for a user on a JWT virtual proxy, and Qlik's verdict on a pasted token. Minted tokens stay in the main
// process, as tickets do: the renderer sees them masked and copies them through the clipboard. Also the
// credential "Log in as" sends by JWT.
import { randomUUID } from 'node:crypto';
import type { JwtMintView, JwtSigningPairView, RequestOf } from '../../shared/ipc/contract';
import type { JwtVerdict } from '../../shared/jwt';
import { maskSecret } from '../../shared/redact';
import type { UserRef } from '../../shared/user';
import { prefixLabel } from '../../shared/virtual-proxy';
import { JwtKeyStore, jwtSettingsOf, keygen, mint, mintJwt, verifyJwt, type JwtSigningPair, type RsaKeySize } from '../core/jwt';
import type { VirtualProxyConfig } from '../core/qlik';
import { serviceBaseUrl } from '../core/qlik/base-url';
import { BackendError } from './backend-error';
import { siteOf, type BackendContext } from './backend-context';

/** Minted tokens kept for copying, at most this many (the oldest go first) and until they expire. */
const KEPT_TOKENS = 50;

export class JwtService {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(
    private readonly ctx: BackendContext,
    private readonly keys: JwtKeyStore,
  ) {}

  async show(req: RequestOf<'jwt.show'>): Promise<JwtSigningPairView | null> {
    const profile = await this.ctx.profiles.get(req.profileId);
    return (await this.keys.held(profile.id)) ?? null;
  }

  async keygen(req: RequestOf<'jwt.keygen'>): Promise<JwtSigningPairView> {
    const profile = await this.ctx.profiles.get(req.profileId);
    const held = await keygen(this.keys, {
      profileId: profile.id,
      profileName: profile.name,
      replace: req.replace,
      ...(req.algorithm ? { algorithm: req.algorithm } : {}),
      ...(req.bits ? { bits: Number(req.bits) as RsaKeySize } : {}),
      ...(req.commonName ? { commonName: req.commonName } : {}),
    });
    // On the built-in site the new certificate is "pasted" into its JWT virtual proxies at once.
    if (profile.builtIn) this.ctx.demo.useJwtCertificate(held.certificatePem);
    return held;
  }

  async mint(req: RequestOf<'jwt.mint'>): Promise<JwtMintView> {
    const profile = await this.ctx.profiles.get(req.profileId);
    const vp = await this.virtualProxy(req.profileId, req.virtualProxy);
    const settings = jwtSettingsOf(vp);
    const user = { userDirectory: req.userDirectory.trim(), userId: req.userId.trim() };
    const attributes = req.attributes.map((a) => ({ [a.key]: a.value }));
    const request = {
      user,
      groups: req.groups,
      attributes,
      virtualProxy: settings,
      ...(req.expiresInSeconds !== undefined ? { expiresInSeconds: req.expiresInSeconds } : {}),
    };
    const own = profile.builtIn && !(await this.keys.held(profile.id)) ? this.ctx.demo.ownJwtSigningPair : undefined;
    const minted = own ? mintJwt(own, request) : await mint(this.keys, { profileId: profile.id, profileName: profile.name, ...request });
    const tokenId = this.keep(minted.token, minted.expiresAt);
    return {
      tokenId,
      tokenMasked: maskSecret(minted.token),
      header: minted.header,
      payload: minted.payload,
      expiresAt: minted.expiresAt,
      verdict: verifyJwt(minted.token, settings),
    };
  }

  /** The token of an earlier mint, for the clipboard (the renderer never holds it). */
  token(tokenId: string): string {
    this.sweep();
    const kept = this.tokens.get(tokenId);
    if (!kept) throw new BackendError('NOT_FOUND', 'That token is no longer kept (it expired, or Usher restarted).', 'Mint a new one.');
    return kept.token;
  }

  async verify(req: RequestOf<'jwt.verify'>): Promise<JwtVerdict> {
    return verifyJwt(req.token, jwtSettingsOf(await this.virtualProxy(req.profileId, req.virtualProxy)));
  }

  /**
   * The Authorization header "Log in as" sends by JWT: a fresh token for the user from the profile's pair
   * (or, on the built-in site without one, the site's own pair), named the way the virtual proxy reads it.
   */
  async credential(input: {
    profileId: string;
    vp: VirtualProxyConfig;
    user: UserRef;
    attributes: Array<Record<string, string>>;
  }): Promise<Record<string, string>> {
    const profile = await this.ctx.profiles.get(input.profileId);
    const own = profile.builtIn && !(await this.keys.held(profile.id)) ? this.ctx.demo.ownJwtSigningPair : undefined;
    const pair: JwtSigningPair = own ?? (await this.keys.load(profile.id, profile.name));
    const { token } = mintJwt(pair, { user: input.user, attributes: input.attributes, virtualProxy: jwtSettingsOf(input.vp) });
    return { Authorization: `Bearer ${token}` };
  }

  /** The certificate of the profile's pair, for the checks' key-mismatch rule. */
  async heldCertificate(profileId: string): Promise<string | undefined> {
    return (await this.keys.held(profileId))?.certificatePem;
  }

  private async virtualProxy(profileId: string, prefix: string): Promise<VirtualProxyConfig> {
    const profile = await this.ctx.profiles.get(profileId);
    const { connection } = await siteOf(this.ctx, profile);
    const vp = await connection.qrs(serviceBaseUrl(profile.qrs, 'qrs')).virtualProxy(prefix);
    if (!vp)
      throw new BackendError(
        'NOT_FOUND',
        `${profile.name} has no virtual proxy ${prefixLabel(prefix)}.`,
        'Pick one of the virtual proxies QRS lists for this site (Checks shows them).',
      );
    return vp;
  }

  private keep(token: string, expiresAt: string): string {
    this.sweep();
    const id = `jwt-${randomUUID()}`;
    this.tokens.set(id, { token, expiresAt: Date.parse(expiresAt) });
    while (this.tokens.size > KEPT_TOKENS) this.tokens.delete(this.tokens.keys().next().value!);
    return id;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, kept] of this.tokens) if (kept.expiresAt <= now) this.tokens.delete(id);
  }
}
