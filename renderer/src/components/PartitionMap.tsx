// The partitions as a map in plain SVG: each cookie jar, its windows, its Qlik session cookies (names
// only), the QPS session each holds and that session's user, left to right. A jar through which two
// users logged in on one virtual proxy is drawn as the conflict it is: outlined in the fail colour with
// "⚠", and the users who lost the cookie hang off it dashed as "replaced" (never colour alone). The
// picture is an image with a title and a description; the same map is a table for whoever would rather read.
import { useId, useMemo, type ReactNode } from 'react';
import { describeJar, describeJarLinks, partitionMap, type MapJar } from '../../../shared/partition-map';
import type { PartitionView } from '../../../shared/partitions';
import { fitText, readablePath } from '../format';
import { Table } from './Table';

const COLUMNS = ['Cookie jars', 'Windows', 'Session cookies', 'QPS sessions', 'Users'];
const COL = 160;
const BOX = 146;
const ROW = 26;
const HEAD = 22;
const GAP = 10;
const CHARS = 24;
/** The users column is the last: wider, so "⚠ DIR\\user (replaced)" fits. */
const USER_BOX = 214;
const USER_CHARS = 36;
const USERS = 4;
/** Windows drawn per jar; more are counted in one box. */
const MAX_WINDOWS = 3;

/** A masked session id as the picture shows it: its visible start (the table has it whole). */
function shortId(masked: string): string {
  return masked.replace(/•+/, '…');
}

interface Placed {
  jar: MapJar;
  top: number;
  rows: number;
}

/** Rows a jar takes: its windows, or its cookies with each replaced user under the cookie's own user. */
function rowsOf(jar: MapJar): number {
  const windows = Math.min(jar.windows.length, MAX_WINDOWS + 1);
  const users = jar.cookies.reduce((n, c) => n + 1 + c.replaced.length, 0) + jar.orphanReplaced.reduce((n, o) => n + o.users.length, 0);
  return Math.max(jar.conflicts.length > 0 ? 2 : 1, windows, users);
}

function Box({ col, row, className, children }: { col: number; row: number; className?: string; children: ReactNode }) {
  return (
    <g className={`map-box${className ? ` ${className}` : ''}`}>
      <rect x={col * COL + 2} y={row} width={col === USERS ? USER_BOX : BOX} height={ROW - 6} rx={4} />
      <text x={col * COL + 8} y={row + 14}>
        {children}
      </text>
    </g>
  );
}

/** A line from the right edge of a box in `fromCol` to the left edge of one in `toCol`. */
function Edge({ fromCol, fromRow, toCol, toRow, className }: { fromCol: number; fromRow: number; toCol: number; toRow: number; className?: string }) {
  const y1 = fromRow + (ROW - 6) / 2;
  const y2 = toRow + (ROW - 6) / 2;
  return <line className={`map-edge${className ? ` ${className}` : ''}`} x1={fromCol * COL + 2 + BOX} y1={y1} x2={toCol * COL + 2} y2={y2} />;
}

/** A user who lost the jar's cookie to a later login: hung off it dashed, named as replaced. */
function Replaced({ user, fromCol, fromRow, row }: { user: string; fromCol: number; fromRow: number; row: number }) {
  return (
    <>
      <Edge fromCol={fromCol} fromRow={fromRow} toCol={USERS} toRow={row} className="map-conflict" />
      <Box col={USERS} row={row} className="map-conflict">
        {fitText(`⚠ ${user} (replaced)`, USER_CHARS)}
      </Box>
    </>
  );
}

/** One jar's band, column by column: a cookie's replaced users take the rows under its own user. */
function JarBand({ placed }: { placed: Placed }) {
  const { jar, top } = placed;
  const y = (row: number) => top + row * ROW;
  const conflict = jar.conflicts.length > 0;
  const shownWindows = jar.windows.slice(0, jar.windows.length > MAX_WINDOWS + 1 ? MAX_WINDOWS : MAX_WINDOWS + 1);
  const moreWindows = jar.windows.length - shownWindows.length;
  const parts: ReactNode[] = [];
  parts.push(
    <Box key="jar" col={0} row={y(0)} className={conflict ? 'map-jar map-conflict' : 'map-jar'}>
      {fitText(`${conflict ? '⚠ ' : ''}${jar.label}`, CHARS)}
    </Box>,
  );
  if (conflict) {
    parts.push(
      <Box key="jar-conflict" col={0} row={y(1)} className="map-conflict">
        {fitText(`${jar.conflicts[0]!.users.length} users, one cookie`, CHARS)}
      </Box>,
    );
  }
  shownWindows.forEach((url, i) => {
    parts.push(
      <Box key={`w${i}`} col={1} row={y(i)}>
        {fitText(readablePath(url), CHARS)}
      </Box>,
      <Edge key={`jw${i}`} fromCol={0} fromRow={y(0)} toCol={1} toRow={y(i)} />,
    );
  });
  if (moreWindows > 0) {
    parts.push(
      <Box key="wmore" col={1} row={y(shownWindows.length)} className="map-muted">
        {`+${moreWindows} more windows`}
      </Box>,
    );
  }
  let row = 0;
  jar.cookies.forEach((cookie, i) => {
    const at = y(row);
    if (shownWindows.length > 0)
      for (let w = 0; w < shownWindows.length; w++) parts.push(<Edge key={`wc${i}-${w}`} fromCol={1} fromRow={y(w)} toCol={2} toRow={at} />);
    else parts.push(<Edge key={`jc${i}`} fromCol={0} fromRow={y(0)} toCol={2} toRow={at} />);
    parts.push(
      <Box key={`c${i}`} col={2} row={at} className={cookie.replaced.length ? 'map-conflict' : undefined}>
        {fitText(cookie.name, CHARS)}
      </Box>,
    );
    if (cookie.session) {
      parts.push(
        <Edge key={`cs${i}`} fromCol={2} fromRow={at} toCol={3} toRow={at} />,
        <Box key={`s${i}`} col={3} row={at}>
          {fitText(`${shortId(cookie.session.idMasked)}${cookie.session.node ? ` on ${cookie.session.node}` : ''}`, CHARS)}
        </Box>,
      );
    }
    parts.push(
      <Edge key={`su${i}`} fromCol={cookie.session ? 3 : 2} fromRow={at} toCol={USERS} toRow={at} />,
      <Box key={`u${i}`} col={USERS} row={at} className={cookie.user ? undefined : 'map-muted'}>
        {fitText(cookie.user ?? 'user unknown', USER_CHARS)}
      </Box>,
    );
    row += 1;
    for (const user of cookie.replaced) parts.push(<Replaced key={`r${row}`} user={user} fromCol={2} fromRow={at} row={y(row++)} />);
  });
  for (const orphan of jar.orphanReplaced) {
    for (const user of orphan.users) parts.push(<Replaced key={`r${row}`} user={user} fromCol={0} fromRow={y(0)} row={y(row++)} />);
  }
  return <g className={conflict ? 'map-band map-band-conflict' : 'map-band'}>{parts}</g>;
}

export function PartitionMap({ partitions }: { partitions: readonly PartitionView[] }) {
  const id = useId();
  const jars = useMemo(() => partitionMap(partitions), [partitions]);
  if (jars.length === 0) return null;
  const placed: Placed[] = [];
  let top = HEAD;
  for (const jar of jars) {
    const rows = rowsOf(jar);
    placed.push({ jar, top, rows });
    top += rows * ROW + GAP;
  }
  const width = COL * USERS + USER_BOX + 4;
  const height = top;
  const conflicts = jars.filter((j) => j.conflicts.length > 0).length;
  const title = `Partition map: cookie jars, windows, session cookies, QPS sessions, users${conflicts ? ` (${conflicts} conflicting jar${conflicts === 1 ? '' : 's'})` : ''}`;
  return (
    <figure className="picture partition-map">
      <svg viewBox={`0 0 ${width} ${height}`} width={width} role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{jars.map(describeJar).join('. ')}.</desc>
        {COLUMNS.map((name, i) => (
          <text key={name} x={i * COL + 2} y={14} className="map-head">
            {name}
          </text>
        ))}
        {placed.map((p) => (
          <JarBand key={p.jar.partitionId} placed={p} />
        ))}
      </svg>
      <figcaption>
        <details>
          <summary>Partition map as a table</summary>
          <Table className="dense map-table" caption="Partition map" hiddenCaption columns={['Jar', 'Open windows', 'Session cookies, sessions and users']}>
            {jars.map((jar) => (
              <tr key={jar.partitionId} className={jar.conflicts.length ? 'failed' : undefined}>
                <th scope="row">
                  {jar.label}
                  {jar.shared ? ' (shared)' : ''}
                </th>
                <td className="mono break">{jar.windows.map(readablePath).join(', ') || '—'}</td>
                <td className="break">{describeJarLinks(jar)}</td>
              </tr>
            ))}
          </Table>
        </details>
      </figcaption>
    </figure>
  );
}
