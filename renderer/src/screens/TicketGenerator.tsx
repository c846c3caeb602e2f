// "Log in as" on the active site: by ticket (request it, then open or copy it before it expires), or in one
// step by the session API, a header or a JWT, whichever the chosen virtual proxy takes.
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
      <h1 tabIndex={-1}>Log in as</h1>
      {profile ? (
        <>
          <p className="lead">
            Log any user in on <strong>{profile.name}</strong>, by any method the virtual proxy takes, in a window of its own: a ticket to open or copy, or a
            session API, header or JWT login in one step.
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
