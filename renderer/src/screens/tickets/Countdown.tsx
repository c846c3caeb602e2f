// Seconds left on a ticket: QPS forgets an unredeemed ticket after 60 s, so the UI says when it is gone.
import { useCallback, useSyncExternalStore } from 'react';

function secondsLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
}

/** A clock for useSyncExternalStore: asks for a fresh reading every second. */
function everySecond(onTick: () => void): () => void {
  const timer = setInterval(onTick, 1000);
  return () => clearInterval(timer);
}

/** Once a ticket has expired nothing changes any more: no timer. */
function never(): () => void {
  return () => undefined;
}

/**
 * Seconds left until `expiresAt`, read from the clock on every render and every second: a new ticket
 * shows its own time at once, with no state to reset in an effect. The reading is a whole number of
 * seconds, so the component renders again only when the number shown changes; at zero the timer stops.
 */
export function useSecondsLeft(expiresAt: string): number {
  const read = useCallback(() => secondsLeft(expiresAt, Date.now()), [expiresAt]);
  return useSyncExternalStore(read() === 0 ? never : everySecond, read);
}

/** A redeemed ticket is done, not failed: it says so instead of counting down to a red "expired". */
export function Countdown({ left, redeemed }: { left: number; redeemed: boolean }) {
  return (
    <p className={left === 0 && !redeemed ? 'countdown expired' : 'countdown'} aria-live="polite" aria-atomic="true">
      {redeemed ? 'Ticket redeemed: a ticket is good for one login' : left === 0 ? 'Ticket expired' : `Expires in ${left} s`}
    </p>
  );
}
