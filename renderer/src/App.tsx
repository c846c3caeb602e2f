// The console: loads what the main process knows, keeps listening for its events, shows one section.
import { useEffect, type ComponentType } from 'react';
import type { ConsoleCommand } from '../../shared/sections';
import { subscribe } from './api';
import { Layout } from './components/Layout';
import { AuditLog } from './screens/AuditLog';
import { Checks } from './screens/Checks';
import { JwtTools } from './screens/JwtTools';
import { Partitions } from './screens/Partitions';
import { RequestLog } from './screens/RequestLog';
import { SharedJar } from './screens/SharedJar';
import { SiteSettings } from './screens/SiteSettings';
import { Sessions } from './screens/Sessions';
import { TicketGenerator } from './screens/TicketGenerator';
import { TrustWizard } from './screens/TrustWizard';
import { ValidateModule } from './screens/ValidateModule';
import { SECTIONS, useAppStore, type Section } from './stores/app-store';
import { useRequestLogStore } from './stores/request-log-store';
import { useSessionsStore } from './stores/sessions-store';
import { focusSectionFilter } from './shortcuts';

/** What Electron's application menu asks for (its Go and Help menus, Edit > Find). */
function runCommand(command: ConsoleCommand): void {
  const app = useAppStore.getState();
  if (command.kind === 'section') app.show(command.section);
  else if (command.kind === 'shortcuts') app.setShortcutsOpen(true);
  else focusSectionFilter();
}

const SCREENS: Record<Section, ComponentType> = {
  trust: TrustWizard,
  site: SiteSettings,
  tickets: TicketGenerator,
  partitions: Partitions,
  sessions: Sessions,
  requests: RequestLog,
  audit: AuditLog,
  checks: Checks,
  jwt: JwtTools,
  seed003: SharedJar,
  validator: ValidateModule,
};

export function App() {
  const section = useAppStore((s) => s.section);

  useEffect(() => {
    const { load, applyAppState } = useAppStore.getState();
    const log = useRequestLogStore.getState();
    void load();
    void log.load();
    // Subscribed here rather than in the screens, so no record is missed while another section is shown.
    const offState = subscribe('app.state', applyAppState);
    const offRecord = subscribe('requestLog.record', log.add);
    const offProgress = subscribe('sessions.progress', useSessionsStore.getState().applyProgress);
    const offCommand = subscribe('console.command', runCommand);
    return () => {
      offCommand();
      offState();
      offRecord();
      offProgress();
    };
  }, []);

  // The window's title names the section (the task bar, the window switcher), under Electron and Chromium alike.
  useEffect(() => {
    const title = SECTIONS.find((s) => s.id === section)?.title;
    document.title = title ? `${title} - Usher` : 'Usher';
  }, [section]);

  const Screen = SCREENS[section];
  return (
    <Layout>
      <Screen />
    </Layout>
  );
}
