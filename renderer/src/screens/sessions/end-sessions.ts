// Ending sessions from the Sessions screen: every end asks first (ending one session logs a person out
// as surely as ending all of them), and focus goes somewhere sensible afterwards: back to the button that
// asked on Cancel, to the listing while the end runs, and to the new listing if the old one took focus
// away with it.
import { useRef, useState } from 'react';
import type { SessionRowView, SessionUserGroup } from '../../../../shared/sessions';
import { formatUser } from '../../../../shared/user';
import { useFocusLater } from '../../components/ConfirmBar';
import { prefixLabel } from '../../format';
import type { EndScope } from '../../stores/sessions-store';

export interface EndQuestion {
  scope: EndScope;
  question: string;
  action: string;
}

export interface EndSessionsTarget {
  profileId: string;
  /** The site's name, for the question about ending what Usher created. */
  siteName: string | undefined;
  /** Sessions Usher created in the last refresh. */
  createdByUsher: number;
  end(profileId: string, scope: EndScope): Promise<void>;
}

export function useEndSessions(target: EndSessionsTarget) {
  const [confirm, setConfirm] = useState<EndQuestion>();
  const region = useRef<HTMLDivElement>(null);
  const statusLine = useRef<HTMLParagraphElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  /** The button that asked the open question: Cancel gives focus back to it. */
  const opener = useRef<HTMLElement | null>(null);
  const focusLater = useFocusLater();

  const ask = (next: EndQuestion) => {
    opener.current = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    setConfirm(next);
  };
  const cancel = () => {
    setConfirm(undefined);
    focusLater(
      () => opener.current,
      () => region.current,
      () => heading.current,
    );
  };
  const confirmEnd = (scope: EndScope) => {
    setConfirm(undefined);
    // The row's End (or the bar's button) is disabled or gone while the end runs: focus waits on the listing
    // (the table, or the status line when there is none).
    focusLater(
      () => region.current,
      () => statusLine.current,
    );
    // Once the new listing shows, and only if focus went with the old one (the last session ended took the
    // table away): focus the person moved elsewhere meanwhile stays there.
    const lost = () => !document.activeElement || document.activeElement === document.body;
    void target.end(target.profileId, scope).then(() => focusLater(() => (lost() ? (region.current ?? statusLine.current) : null)));
  };
  const onEndRow = (row: SessionRowView) =>
    ask({
      scope: { kind: 'one', rowKey: row.rowKey },
      question: `End the session ${row.sessionIdMasked} of ${formatUser(row)} on ${row.nodeName} ${prefixLabel(row.virtualProxy)}? Its open tab will be sent back to log in.`,
      action: 'End this session',
    });
  const onEndUser = (group: SessionUserGroup) =>
    ask({
      scope: { kind: 'user', userDirectory: group.userDirectory, userId: group.userId },
      question: `End ${group.count === 1 ? 'the only session' : `all ${group.count} sessions`} of ${formatUser(group)} on every node and virtual proxy? Their open tabs will be sent back to log in.`,
      action: `End ${formatUser(group)}'s sessions`,
    });
  const onEndCreated = () =>
    ask({
      scope: { kind: 'created' },
      question: `End every session Usher created on ${target.siteName ?? 'this site'} (${target.createdByUsher} in the last refresh)? Sessions others made stay.`,
      action: 'End sessions Usher created',
    });
  return { confirm, cancel, confirmEnd, onEndRow, onEndUser, onEndCreated, refs: { region, statusLine, heading } };
}
