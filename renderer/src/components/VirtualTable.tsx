// A table that renders only the rows in view (plus a few either side), for lists of thousands: a real
// <table> in a focusable scrolling region, spacer rows standing in for the rest, and aria-rowcount /
// aria-rowindex so assistive technology still knows the full size and each row's place. Rows have one
// fixed height (CSS must agree), which keeps the window a division instead of a measurement.
import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { visibleWindow } from '../../../shared/sessions';
import { Table } from './Table';

interface Props {
  caption: string;
  columns: ReactNode[];
  rowCount: number;
  /** Pixels; the rows' CSS height must be the same. */
  rowHeight: number;
  /** The region's height in pixels. */
  height: number;
  /** One <tr> for body row `index`; give it `aria-rowindex={ariaRowIndex}`. */
  renderRow(index: number, ariaRowIndex: number): ReactNode;
  className?: string;
}

export function VirtualTable({ caption, columns, rowCount, rowHeight, height, renderRow, className }: Props) {
  const region = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewport, setViewport] = useState(height);

  useLayoutEffect(() => {
    // The region's real height once laid out (CSS may cap it); a layout-less DOM (tests) keeps `height`.
    const measured = region.current?.clientHeight ?? 0;
    if (measured > 0) setViewport(measured);
  }, [height]);

  const onScroll = useCallback(() => setScrollTop(region.current?.scrollTop ?? 0), []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys on the region itself scroll it; keys on a button inside a row stay the button's.
    const el = region.current;
    if (!el || event.target !== el) return;
    const page = Math.max(rowHeight, viewport - rowHeight);
    const max = rowCount * rowHeight;
    const moves: Record<string, number> = {
      ArrowDown: el.scrollTop + rowHeight,
      ArrowUp: el.scrollTop - rowHeight,
      PageDown: el.scrollTop + page,
      PageUp: el.scrollTop - page,
      Home: 0,
      End: max,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    el.scrollTop = Math.max(0, Math.min(max, next));
    setScrollTop(el.scrollTop);
  };

  const { start, end } = visibleWindow(rowCount, rowHeight, scrollTop, viewport);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) rows.push(renderRow(i, i + 2));

  return (
    <div
      ref={region}
      className="virtual-region"
      role="region"
      aria-label={caption}
      tabIndex={0}
      style={{ maxHeight: height }}
      onScroll={onScroll}
      onKeyDown={onKeyDown}
    >
      <Table caption={caption} hiddenCaption columns={columns} rowCount={rowCount + 1} {...(className !== undefined ? { className } : {})}>
        {start > 0 ? (
          <tr aria-hidden="true" className="virtual-spacer" style={{ height: start * rowHeight }}>
            <td colSpan={columns.length} />
          </tr>
        ) : null}
        {rows}
        {end < rowCount ? (
          <tr aria-hidden="true" className="virtual-spacer" style={{ height: (rowCount - end) * rowHeight }}>
            <td colSpan={columns.length} />
          </tr>
        ) : null}
      </Table>
    </div>
  );
}
