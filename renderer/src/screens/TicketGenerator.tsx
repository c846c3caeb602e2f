// The ticket generator for the active site: request a ticket, then open or copy it before it expires.
import { useEffect } from 'react';
import { activeProfile, useAppStore } from '../stores/app-store';
import { useTicketStore } from '../stores/ticket-store';
import { TicketForm } from './tickets/TicketForm';
import { TicketResult } from './tickets/TicketResult';

export function TicketGenerator() {
  const profile = useAppStore(activeProfile);
  const applyProfile = useTicketStore((s) => s.applyProfile);
  const ticket = useTicketStore((s) => s.ticket);

  useEffect(() => {
    if (profile) applyProfile(profile);
  }, [profile, applyProfile]);

  return (
    <div className="screen">
      <h1 tabIndex={-1}>Tickets</h1>
      {profile ? (
        <>
          <p className="lead">
            Request a ticket on <strong>{profile.name}</strong> for any user, then open it in an isolated window or copy it.
          </p>
          <TicketForm profile={profile} />
          {ticket ? <TicketResult key={ticket.ticketId} ticket={ticket} /> : null}
        </>
      ) : (
        <p>No site is selected. Pick one in the sidebar, or add one with Trust.</p>
      )}
    </div>
  );
}
