// The session inspector's view for a terminal: each user with the count Qlik holds against its
// parallel-session limit and their sessions, then the warnings with their fixes. The grouping and the
// warnings come from the core model (buildInspectorModel), as in the console; this only lays them out.
// Words, not colours: "at the limit", "error"/"warning".
import { plural } from '../../shared/plural';
import type { SessionEntry } from '../core/sessions/inventory';
import type { InspectorModel } from '../core/sessions/session-inspector';
import type { InspectorWarning, LimitState, SessionInspectorView, SessionRowView, SessionUserGroup } from '../../shared/sessions';
import { formatUser } from '../../shared/user';
import { prefixLabel } from '../../shared/virtual-proxy';
import { formatTable, indent } from './output';

const STATE_WORDS: Record<LimitState, string> = {
  ok: '',
  'at-limit': 'at the limit: Qlik refuses the next login',
  'over-limit': 'over the limit',
};

/** `DIR\ID  n/5`, and the limit state in words when it is not ok. */
function groupHeading(group: SessionUserGroup): string {
  const state = STATE_WORDS[group.state];
  return `${formatUser(group)}  ${group.count}/${group.limit}${state ? `  ${state}` : ''}`;
}

function warningLines(warning: InspectorWarning): string {
  return [`${warning.severity.padEnd(7)}  ${warning.message}`, `${' '.repeat(7)}  fix: ${warning.fix}`].join('\n');
}

/** Warnings of either severity: what `--fail-on-warnings` counts. */
export function warningSummary(view: SessionInspectorView): string {
  const errors = view.warnings.filter((w) => w.severity === 'error').length;
  return `${plural(errors, 'error')}, ${plural(view.warnings.length - errors, 'warning')}`;
}

export function formatInspectorView(model: InspectorModel, showIds: boolean): string {
  const { view, rows } = model;
  const sessionId = (row: SessionRowView): string => (showIds ? (rows.get(row.rowKey)?.sessionId ?? row.sessionIdMasked) : row.sessionIdMasked);
  const lines = [
    `found ${plural(view.totalSessions, 'session')} on ${plural(view.nodes, 'node')}, ${plural(view.pairs, 'node/virtual proxy pair')}; ` +
      `${plural(view.groups.length, 'user')}, ${view.createdByUsher} created by Usher` +
      (view.failures.length ? ` (incomplete: ${plural(view.failures.length, 'pair')} could not be asked)` : ''),
  ];
  for (const group of view.groups) {
    lines.push('', groupHeading(group));
    lines.push(
      indent(
        formatTable(group.rows, [
          { header: 'Node', value: (r) => r.nodeName },
          { header: 'Virtual proxy', value: (r) => prefixLabel(r.virtualProxy) },
          { header: 'Session', value: sessionId },
          { header: 'Created by Usher', value: (r) => (r.createdByUsher ? 'yes' : 'no') },
        ]),
      ),
    );
  }
  lines.push('');
  if (view.warnings.length === 0) lines.push('no warnings');
  else {
    lines.push(`${warningSummary(view)}:`);
    for (const warning of view.warnings) lines.push(indent(warningLines(warning)));
  }
  return lines.join('\n');
}

/**
 * The view as JSON: what the console gets (masked ids, opaque row keys that tie warnings to rows), plus
 * each row's full `sessionId` only when asked for.
 */
export function inspectorJson(model: InspectorModel, showIds: boolean): SessionInspectorView {
  if (!showIds) return model.view;
  const withId = (row: SessionRowView): SessionRowView & { sessionId?: string } => {
    const session: SessionEntry | undefined = model.rows.get(row.rowKey);
    return session ? { ...row, sessionId: session.sessionId } : row;
  };
  return { ...model.view, groups: model.view.groups.map((g) => ({ ...g, rows: g.rows.map(withId) })) };
}
