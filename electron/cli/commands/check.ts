// `usher check`: the virtual proxy setup of a site, checked before users hit its mistakes. Exit 1 on any
// error finding, so a CI pipeline can gate on it.
import { plural } from '../../../shared/plural';
import { prefixLabel } from '../../../shared/virtual-proxy';
import type { VpFinding } from '../../../shared/vp-findings';
import { checksJUnit, checksMarkdown, checksSummary } from '../../core/exports/checks-report';
import { mashupOrigin, runVirtualProxyChecks } from '../../core/operations/check-virtual-proxies';
import { JwtKeyStore } from '../../core/jwt/key-store';
import { openAppContext } from '../app-context';
import { DEMO_MASHUP_ORIGIN } from '../../simulator/demo-site';
import * as v from 'valibot';
import { parseCommand, type Command } from '../command';
import { formatFlag, readFlag, switchFlag } from '../flag-schema';
import { CONNECTION_FLAGS } from '../connection-flags';
import { CommandFailed } from '../errors';
import { formatTable, printJsonText, printLine } from '../output';
import { PROFILE_FLAG, requireSiteUrl, SITE_INPUT, withSiteConnection } from '../site-connection';

const USAGE = `
usage: usher check (--profile NAME | --qrs URL --ca root.pem (--cert ... --key ... | --pfx ...))
                   [--origin URL] [--no-probe] [--format table|json|markdown|junit]

Checks every virtual proxy QRS reports: duplicate cookie names, unlinked virtual proxies, missing load
balancing, bad prefixes, ticket authentication without (or with a non-HTTPS, or dead) module, header
authentication without a header or in one of Qlik's own headers, JWT virtual proxies (certificate
missing, damaged, expired or not the signing pair usher jwt keygen made for the profile; no user id
claim; no directory claim nor [static] one; a mashup without the November 2024 CSRF headers or
allow-list entry), extreme inactivity timeouts, anonymous access, cookie domains; with
--origin (a mashup's origin) also the embedding setup: host allow list, SameSite=None + Secure and the
CSRF response headers. Exit 1 when any error is found.

The built-in demo site (--profile demo) carries one deliberate mistake per rule; its mashup's origin is
${DEMO_MASHUP_ORIGIN}.

  --no-probe   do not contact authentication modules (they are probed with one GET, 5 s at most)
`;

const FLAGS = { ...CONNECTION_FLAGS, ...PROFILE_FLAG, origin: { type: 'string' }, 'no-probe': { type: 'boolean' }, format: { type: 'string' } } as const;

const FORMATS = ['table', 'json', 'markdown', 'junit'] as const;
type Format = (typeof FORMATS)[number];

/**
 * The flags of `usher check` read into runVirtualProxyChecks' input, less the site. The core's one origin
 * rule reads --origin before the site is reached: a bad origin is bad input (exit 2).
 */
const CHECK_INPUT = v.object({
  format: formatFlag(FORMATS),
  origin: readFlag((text) => mashupOrigin(text, '--origin')),
  'no-probe': switchFlag,
  ...SITE_INPUT,
});

function vpName(f: VpFinding): string {
  return prefixLabel(f.virtualProxy);
}

function renderFindings(findings: VpFinding[], format: Format, checked: string[]): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ checked, findings }, null, 2);
    case 'markdown':
      return checksMarkdown({ checked, findings });
    case 'junit':
      return checksJUnit({ checked, findings });
    default: {
      const head = checksSummary({ checked, findings });
      if (findings.length === 0) return head;
      return `${head}\n${formatTable(findings, [
        { header: 'Severity', value: (f) => f.severity },
        { header: 'Virtual proxy', value: vpName },
        { header: 'Field', value: (f) => f.field },
        { header: 'Problem', value: (f) => f.problem },
        { header: 'Fix', value: (f) => f.fix },
      ])}`;
    }
  }
}

/** The certificate of the profile's JWT signing pair, for the key-mismatch rule (public: the vault stays closed). */
async function heldJwtCertificate(profileId: string): Promise<string | undefined> {
  const app = await openAppContext();
  return (await new JwtKeyStore(app.dataDir, app.vault).held(profileId))?.certificatePem;
}

export const checkCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const values = parseCommand(argv, FLAGS, CHECK_INPUT, 'check');
    const { format, origin } = values;
    await withSiteConnection(values, async (site) => {
      const jwtSigningCertificatePem = site.profile ? await heldJwtCertificate(site.profile.id) : undefined;
      const { checked, findings } = await runVirtualProxyChecks({
        connection: site.connection,
        qrs: requireSiteUrl(site, 'qrs'),
        caPem: site.caPem,
        ...(origin !== undefined ? { origin } : {}),
        probe: !values['no-probe'],
        ...(jwtSigningCertificatePem ? { jwtSigningCertificatePem } : {}),
      });
      const rendered = renderFindings(
        findings,
        format,
        checked.map((vp) => vp.prefix),
      );
      if (format === 'json') printJsonText(rendered);
      else printLine(rendered);
      const errors = findings.filter((f) => f.severity === 'error').length;
      if (errors > 0) throw new CommandFailed(`${plural(errors, 'error')} in the virtual proxy setup`);
    });
  },
};
