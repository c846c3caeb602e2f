// The console frame: sidebar, the current section, and the status bar, wired to the app store.
import { useEffect, useMemo, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { useShortcuts } from '../shortcuts';
import { activeProfile, useAppStore } from '../stores/app-store';
import { useTicketStore } from '../stores/ticket-store';
import { ErrorNote } from './ErrorNote';
import { SectionHelp } from './SectionHelp';
import { ShortcutsDialog } from './ShortcutsDialog';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { useShallow } from 'zustand/react/shallow';
import type { ProfilesView } from '../../../shared/ipc/contract';

export function Layout({ children }: { children: ReactNode }) {
  const { profiles, problems, activeProfileId, section, app, error, select, show, shortcutsOpen, setShortcutsOpen } = useAppStore(
    useShallow((s) => ({
      shortcutsOpen: s.shortcutsOpen,
      setShortcutsOpen: s.setShortcutsOpen,
      profiles: s.profiles,
      problems: s.problems,
      activeProfileId: s.activeProfileId,
      section: s.section,
      app: s.app,
      error: s.error,
      select: s.select,
      show: s.show,
    })),
  );
  const profile = activeProfile({ profiles, activeProfileId });
  // The ticket form's virtual proxy is the one in use once it belongs to the active site.
  const ticketVirtualProxy = useTicketStore((s) => (s.profileId === activeProfileId ? s.form.virtualProxy : undefined));
  const mainRef = useRef<HTMLElement>(null);
  // Below 900 px the sidebar folds away behind a header button (CSS decides when the button shows), so a
  // narrow window gives its whole width to the section; choosing a site or section folds it again.
  const [navOpen, setNavOpen] = useState(false);
  const firstSection = useRef(true);

  // After choosing a section, keyboard and screen-reader users land on its heading, not back at the top.
  useEffect(() => {
    if (firstSection.current) {
      firstSection.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [section]);

  const actions = useMemo(() => ({ showSection: show, openShortcuts: () => setShortcutsOpen(true) }), [show, setShortcutsOpen]);
  useShortcuts(actions, !shortcutsOpen);

  // The skip link moves focus itself (to the section's heading) rather than navigating to #main: the
  // console never navigates, and a fragment would leave focus where it was in some browsers.
  const skipToContent = (e: MouseEvent) => {
    e.preventDefault();
    const target = mainRef.current?.querySelector<HTMLElement>('h1') ?? mainRef.current;
    target?.focus();
  };

  return (
    <>
      <div className="layout" inert={shortcutsOpen}>
        <a className="skip-link" href="#main" onClick={skipToContent}>
          Skip to content
        </a>
        <AppHeader navOpen={navOpen} onToggleNav={() => setNavOpen(!navOpen)} onShortcuts={() => setShortcutsOpen(true)} />
        <Sidebar
          open={navOpen}
          profiles={profiles}
          activeProfileId={activeProfileId}
          section={section}
          onSelectProfile={(id) => {
            setNavOpen(false);
            void select(id);
          }}
          onShow={(id) => {
            setNavOpen(false);
            show(id);
          }}
        />
        <main className="content" id="main" ref={mainRef} tabIndex={-1}>
          <ErrorNote error={error} />
          <DamagedSiteFiles problems={problems} />
          <SectionHelp key={section} section={section} onDemo={profile?.builtIn === true} />
          {children}
        </main>
        <StatusBar profile={profile} virtualProxy={ticketVirtualProxy} app={app} />
      </div>
      {shortcutsOpen ? <ShortcutsDialog onClose={() => setShortcutsOpen(false)} /> : null}
    </>
  );
}

function AppHeader({ navOpen, onToggleNav, onShortcuts }: { navOpen: boolean; onToggleNav(): void; onShortcuts(): void }) {
  return (
    <header className="app-header">
      <button type="button" className="nav-toggle" aria-expanded={navOpen} aria-controls="sidebar" onClick={onToggleNav}>
        Menu
      </button>
      <span className="app-name">Usher</span>
      <button type="button" className="header-shortcuts" aria-keyshortcuts="?" onClick={onShortcuts}>
        Keyboard shortcuts
      </button>
    </header>
  );
}

function DamagedSiteFiles({ problems }: { problems: ProfilesView['problems'] }) {
  if (problems.length === 0) return null;
  return (
    <div className="warn-text" role="note">
      <p>{problems.length === 1 ? 'A damaged site file was' : `${problems.length} damaged site files were`} set aside; the other sites are shown.</p>
      <ul>
        {problems.map((p) => (
          <li key={p.file}>
            <span className="mono break">{p.file}</span>: {p.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
