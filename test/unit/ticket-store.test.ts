// The console's ticket store: valid once, for 60 seconds, by its own clock; forgotten after retention.
import { describe, expect, it } from 'vitest';
import { TicketStore, TICKET_RETENTION_MS, type NewTicket } from '../../electron/app/ticket-store';

function fields(ticket = 'TicketValue12345'): NewTicket {
  return {
    ticket,
    profileId: 'demo',
    user: { userDirectory: 'DEMO', userId: 'alice' },
    virtualProxy: 'ticket',
    node: { name: 'central', proxy: 'https://localhost:1' },
    landing: 'https://localhost:1/ticket/hub/',
  };
}

function clock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('TicketStore', () => {
  it('issues random ids and an expiry 60 s after issue', () => {
    const c = clock();
    const store = new TicketStore({ now: c.now });
    const a = store.add(fields());
    const b = store.add(fields());
    expect(a.id).not.toBe(b.id);
    expect(a.id).toMatch(/^[A-Za-z0-9._:-]+$/);
    expect(a.expiresAt - a.issuedAt).toBe(60_000);
    expect(store.get(a.id).ticket).toBe('TicketValue12345');
  });

  it('hands a ticket out for redemption once only', () => {
    const store = new TicketStore({ now: clock().now });
    const entry = store.add(fields());
    expect(store.take(entry.id).ticket).toBe('TicketValue12345');
    expect(() => store.take(entry.id)).toThrow(expect.objectContaining({ code: 'TICKET_EXPIRED', hint: expect.stringMatching(/valid once, for 60 seconds/) }));
    expect(() => store.usable(entry.id)).toThrow(/already used/);
  });

  it('refuses a ticket once its minute is over, and not a moment before', () => {
    const c = clock();
    const store = new TicketStore({ now: c.now });
    const entry = store.add(fields());
    c.advance(59_999);
    expect(store.usable(entry.id).id).toBe(entry.id);
    c.advance(1);
    expect(() => store.take(entry.id)).toThrow(expect.objectContaining({ code: 'TICKET_EXPIRED', message: expect.stringMatching(/expired/) }));
    // Refused, so still not spent: the store did not mark it used on the way.
    expect(store.get(entry.id).used).toBe(false);
  });

  it('forgets tickets after the retention period and says NOT_FOUND', () => {
    const c = clock();
    const store = new TicketStore({ now: c.now });
    const entry = store.add(fields());
    c.advance(60_000 + TICKET_RETENTION_MS - 1);
    expect(store.get(entry.id).id).toBe(entry.id);
    c.advance(2);
    expect(() => store.get(entry.id)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(store.size).toBe(0);
  });

  it('does not know ids it never issued', () => {
    expect(() => new TicketStore().get('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
