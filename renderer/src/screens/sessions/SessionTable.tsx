// The inspector's table: one heading line per user (count against the limit, fold, end all) followed by
// that user's sessions (node, virtual proxy, masked id, partition, Usher's mark, end). Virtualised: a site
// with thousands of sessions renders a screenful of lines.
import { useEffect, useMemo, useState } from 'react';
import { inspectorLines, userKey, type SessionRowView, type SessionUserGroup } from '../../../../shared/sessions';
import { formatUser } from '../../../../shared/user';
import { PartitionSwatch } from '../../components/PartitionSwatch';
import { VirtualTable } from '../../components/VirtualTable';
import { prefixLabel } from '../../format';

/** Must match `.session-table tr` in styles.css. */
export const LINE_HEIGHT = 34;
/**
 * Under 900 px (`NARROW` here, the media query in styles.css) eight columns do not fit on one line: a line
 * takes two, so the partition's name wraps instead of being cut off. Must match the narrow CSS.
 */
export const NARROW_LINE_HEIGHT = 52;
const NARROW = '(max-width: 900px)';
const LINES_SHOWN = 16;

/** Whether the window is narrow (false where there is no layout, as in jsdom). */
function useNarrow(): boolean {
  const hasMedia = typeof window.matchMedia === 'function';
  const [narrow, setNarrow] = useState(() => hasMedia && window.matchMedia(NARROW).matches);
  useEffect(() => {
    if (!hasMedia) return;
    const query = window.matchMedia(NARROW);
    const changed = () => setNarrow(query.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, [hasMedia]);
  return narrow;
}

const COLUMNS = ['User', 'Sessions', 'Node', 'Virtual proxy', 'Session', 'Partition', 'Created by', 'Action'];

interface Props {
  groups: SessionUserGroup[];
  collapsed: ReadonlySet<string>;
  /** Row keys some warning is about -> the ids of those warnings' elements. */
  warned: ReadonlyMap<string, readonly string[]>;
  busy: boolean;
  onToggle(key: string): void;
  onEndRow(row: SessionRowView, group: SessionUserGroup): void;
  onEndUser(group: SessionUserGroup): void;
}

function LimitBadge({ group }: { group: SessionUserGroup }) {
  const words = group.state === 'over-limit' ? ', over the limit' : group.state === 'at-limit' ? ', at the limit' : '';
  return (
    <span className={`limit-badge limit-${group.state}`} aria-label={`${group.count} of ${group.limit} sessions${words}`}>
      {group.state !== 'ok' ? <span aria-hidden="true">! </span> : null}
      {group.count}/{group.limit}
    </span>
  );
}

/**
 * A user's heading line: fold, count against the limit, end all of the user's sessions. The heading spans
 * every column but Action: a user id is often a mail address, wider than the User column, and the user is
 * what the line is for (cut to "DEMO\alice.joh…" two users could look alike); the note gives way first.
 */
function userLine(group: SessionUserGroup, ariaRowIndex: number, { collapsed, busy, onToggle, onEndUser }: Props) {
  const user = formatUser(group);
  const key = userKey(group);
  const open = !collapsed.has(key);
  return (
    <tr key={`u-${key}`} aria-rowindex={ariaRowIndex} className={`user-line limit-${group.state}`}>
      <th scope="row" colSpan={COLUMNS.length - 1}>
        <div className="user-line-head">
          <button type="button" className="link fold" aria-expanded={open} onClick={() => onToggle(key)}>
            <span aria-hidden="true">{open ? '▾' : '▸'} </span>
            {user}
          </button>
          <LimitBadge group={group} />
          <span className="muted user-line-note">
            {[group.userName, group.state === 'at-limit' ? 'the next login is refused' : group.state === 'over-limit' ? 'more than Qlik allows' : '']
              .filter(Boolean)
              .join(' · ')}
          </span>
        </div>
      </th>
      <td>
        <button
          type="button"
          className="danger small"
          disabled={busy}
          onClick={() => onEndUser(group)}
          aria-label={group.count === 1 ? `End the session of ${user}` : `End all ${group.count} sessions of ${user}`}
        >
          {group.count === 1 ? 'End' : 'End all'}
        </button>
      </td>
    </tr>
  );
}

/** One session of a user: where it lives, whose it is, the warnings about it, and End. */
function sessionLine(row: SessionRowView, group: SessionUserGroup, ariaRowIndex: number, { warned, busy, onEndRow }: Props) {
  const user = formatUser(group);
  const warnings = warned.get(row.rowKey);
  return (
    <tr key={row.rowKey} aria-rowindex={ariaRowIndex} className={warnings ? 'session-line warned' : 'session-line'}>
      <td>
        <span className="visually-hidden">{warnings ? `${user}: ` : user}</span>
        {warnings ? (
          // In words, not by the stripe's colour alone; End is described by the warnings themselves.
          <span className="warn-mark">
            <span aria-hidden="true">⚠ </span>
            {warnings.length === 1 ? 'see warning' : `see ${warnings.length} warnings`}
          </span>
        ) : null}
      </td>
      <td />
      <td>{row.nodeName}</td>
      <td title={row.cookieName ? `cookie ${row.cookieName}` : undefined}>{prefixLabel(row.virtualProxy)}</td>
      <td className="mono">{row.sessionIdMasked}</td>
      <td title={row.partition?.label}>
        {row.partition ? (
          <span className="partition-cell">
            <PartitionSwatch partitionId={row.partition.partitionId} />
            {row.partition.label}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td>{row.createdByUsher ? <span className="usher-mark">✓ Usher</span> : <span className="muted">other</span>}</td>
      <td>
        <button
          type="button"
          className="small"
          disabled={busy}
          onClick={() => onEndRow(row, group)}
          aria-describedby={warnings?.join(' ')}
          aria-label={`End session ${row.sessionIdMasked} of ${user} on ${row.nodeName} ${prefixLabel(row.virtualProxy)}`}
        >
          End
        </button>
      </td>
    </tr>
  );
}

export function SessionTable(props: Props) {
  const { groups, collapsed } = props;
  const lines = useMemo(() => inspectorLines(groups, collapsed), [groups, collapsed]);
  const total = groups.reduce((n, g) => n + g.count, 0);
  const lineHeight = useNarrow() ? NARROW_LINE_HEIGHT : LINE_HEIGHT;

  return (
    <VirtualTable
      className="session-table"
      caption={`Sessions by user: ${groups.length} user${groups.length === 1 ? '' : 's'}, ${total} session${total === 1 ? '' : 's'}`}
      columns={COLUMNS}
      rowCount={lines.length}
      rowHeight={lineHeight}
      height={lineHeight * LINES_SHOWN}
      renderRow={(index, ariaRowIndex) => {
        const line = lines[index]!;
        return line.kind === 'user' ? userLine(line.group, ariaRowIndex, props) : sessionLine(line.row, line.group, ariaRowIndex, props);
      }}
    />
  );
}
