// `usher audit`: what tickets and sessions Usher created, when, where, for whom and why.
import { formatUser } from '../../../shared/user';
import { prefixLabel } from '../../../shared/virtual-proxy';
import * as v from 'valibot';
import { parseCommand, type Command } from '../command';
import { switchFlag, wholeNumberFlag } from '../flag-schema';
import { findProfile, openAppContext } from '../app-context';
import { formatTable, printJson, printLine, printNote } from '../output';

const USAGE = `
usage: usher audit [--profile NAME] [--limit N] [--json]

The append-only audit log: every ticket and session Usher created or ended (tickets and session ids
masked), newest last.
`;

const FLAGS = { profile: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } } as const;

/** The flags of `usher audit` read into the audit log's read options (the profile still as typed). */
const AUDIT_INPUT = v.object({
  profile: v.optional(v.string()),
  limit: v.pipe(
    wholeNumberFlag('limit', 1, 1_000_000),
    v.transform((limit) => limit ?? 50),
  ),
  json: switchFlag,
});

export const auditCommand: Command = {
  usage: USAGE,
  async run(argv) {
    const values = parseCommand(argv, FLAGS, AUDIT_INPUT, 'audit');
    const { limit } = values;
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
