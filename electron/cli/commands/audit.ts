// `usher audit`: what tickets and sessions Usher created, when, where, for whom and why.
import { formatUser } from '../../../shared/user';
import { prefixLabel } from '../../../shared/virtual-proxy';
import { parseFlags, parseWholeNumber, type Command } from '../command';
import { findProfile, openAppContext } from '../app-context';
import { formatTable, printJson, printLine, printNote } from '../output';

const USAGE = `
usage: usher audit [--profile NAME] [--limit N] [--json]

The append-only audit log: every ticket and session Usher created or ended (tickets and session ids
masked), newest last.
`;

export const auditCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const { values } = parseFlags(argv, { profile: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } }, 'audit');
    const limit = parseWholeNumber('limit', values.limit, 1, 1_000_000) ?? 50;
    const app = await openAppContext();
    // Entries name a profile by its id; people type its name. A name no profile has any more (a removed
    // profile, "(flags)") is matched as it is written.
    const profile = values.profile === undefined ? undefined : ((await findProfile(app, values.profile))?.id ?? values.profile);
    const { entries, skippedLines } = await app.audit.read({ limit, profile });
    if (values.json) return printJson({ entries, skippedLines });
    if (skippedLines > 0) printNote(`usher: ${skippedLines} damaged line(s) in the audit log were skipped`);
    if (entries.length === 0) return printLine('no entries');
    printLine(
      formatTable(entries, [
        { header: 'When', value: (e) => e.at },
        { header: 'Action', value: (e) => e.action },
        { header: 'Profile', value: (e) => e.profile },
        { header: 'Node', value: (e) => e.node ?? '-' },
        { header: 'Virtual proxy', value: (e) => prefixLabel(e.virtualProxy) },
        { header: 'User', value: formatUser },
        { header: 'Value', value: (e) => e.ticketMasked ?? e.sessionIdMasked ?? '' },
        { header: 'Why', value: (e) => e.reason },
      ]),
    );
  },
};
