// A long action (trust check, checks run, validator, scenario, refresh) ends below the fold more often
// than not: when it finishes, its result region is scrolled into view. The region itself carries a
// role="status" line, so the outcome is also announced.
import { useEffect, useRef, type RefObject } from 'react';

/** A ref for the result region, scrolled into view each time `busy` turns from true to false. */
export function useRevealWhenDone<T extends HTMLElement>(busy: boolean): RefObject<T | null> {
  const region = useRef<T>(null);
  const wasBusy = useRef(busy);
  useEffect(() => {
    if (wasBusy.current && !busy) region.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
    wasBusy.current = busy;
  }, [busy]);
  return region;
}
