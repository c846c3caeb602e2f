// A captioned table with one row of column headers: the shape every list on the console shares.
// The caption names the table for assistive technology; `hiddenCaption` keeps it off screen where a
// heading already says the same to sighted people.
import type { ReactNode } from 'react';

interface Props {
  caption: ReactNode;
  hiddenCaption?: boolean;
  /** Header cells in order (scope="col"); a node for a header that is not plain text. */
  columns: ReactNode[];
  className?: string;
  /**
   * For a table that renders only some of its body rows (VirtualTable): how many rows it has in all,
   * header row included. Sets aria-rowcount, and aria-rowindex 1 on the header row.
   */
  rowCount?: number;
  /** The body rows. */
  children: ReactNode;
}

export function Table({ caption, hiddenCaption, columns, className, rowCount, children }: Props) {
  return (
    <table className={className} aria-rowcount={rowCount}>
      <caption className={hiddenCaption ? 'visually-hidden' : undefined}>{caption}</caption>
      <thead>
        <tr aria-rowindex={rowCount === undefined ? undefined : 1}>
          {columns.map((column, index) => (
            <th key={index} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
