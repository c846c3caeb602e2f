// The console: loads what the main process knows, keeps listening for its events, shows one section.
import { useEffect, type ComponentType } from 'react';
import { subscribe } from './api';
import { Layout } from './components/Layout';
import { AuditLog } from './screens/AuditLog';
import { Checks } from './screens/Checks';
import { RequestLog } from './screens/RequestLog';
import { TicketGenerator } from './screens/TicketGenerator';
import { TrustWizard } from './screens/TrustWizard';
import { useAppStore, type Section } from './stores/app-store';
import { useRequestLogStore } from './stores/request-log-store';

const SCREENS: Record<Section, ComponentType> = {
  trust: TrustWizard,
  tickets: TicketGenerator,
  requests: RequestLog,
  audit: AuditLog,
  checks: Checks,
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
    return () => {
      offState();
      offRecord();
    };
  }, []);

  const Screen = SCREENS[section];
  return (
    <Layout>
      <Screen />
    </Layout>
  );
}
