// Seconds left on a ticket: QPS forgets an unredeemed ticket after 60 s, so the UI says when it is gone.
import { useEffect, useState } from 'react';

function secondsLeft(expiresAt: string, now: number): number {
  return Math.max(0, Math.ceil((Date.parse(expiresAt) - now) / 1000));
}

/** Re-renders every second until `expiresAt` has passed. */
export function useSecondsLeft(expiresAt: string): number {
  const [now, setNow] = useState(() => Date.now());
  const left = secondsLeft(expiresAt, now);
  const expired = left === 0;
  useEffect(() => {
    setNow(Date.now());
    if (expired) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [expiresAt, expired]);
  return left;
}

export function Countdown({ left }: { left: number }) {
  return (
    <p className={left === 0 ? 'countdown expired' : 'countdown'} aria-live="polite" aria-atomic="true">
      {left === 0 ? 'Ticket expired' : `Expires in ${left} s`}
    </p>
  );
}
