// Step 4: what QRS said about the site: its proxy nodes, and its virtual proxies (folded: a long list the
// Checks section looks at closely).
import type { TrustRunView } from '../../../../shared/ipc/contract';
import { Table } from '../../components/Table';
import { prefixLabel } from '../../format';

const AUTH_METHODS = ['Ticket', 'Static header', 'Dynamic header', 'SAML', 'JWT', 'OIDC'];

export function Discovery({ run }: { run: TrustRunView }) {
  return (
    <section aria-labelledby="trust-discovery">
      <h2 id="trust-discovery">4. Discovered nodes and virtual proxies</h2>
      {run.nodes.length === 0 && run.virtualProxies.length === 0 ? <p className="muted">Nothing was discovered: QRS was not reached.</p> : null}
      {run.nodes.length > 0 ? (
        <Table className="dense" caption="Nodes" columns={['Name', 'Host', 'QPS', 'Virtual proxies']}>
          {run.nodes.map((node) => (
            <tr key={node.name}>
              <td>{node.name}</td>
              <td>{node.hostName}</td>
              <td className="mono">{node.qps}</td>
              <td>{node.virtualProxies.map(prefixLabel).join(', ')}</td>
            </tr>
          ))}
        </Table>
      ) : null}
      {run.virtualProxies.length > 0 ? (
        <details className="collapsible">
          <summary>
            {run.virtualProxies.length === 1 ? '1 virtual proxy' : `${run.virtualProxies.length} virtual proxies`} (the nodes above list their prefixes)
          </summary>
          <Table className="dense" caption="Virtual proxies" hiddenCaption columns={['Prefix', 'Description', 'Authentication', 'Session cookie']}>
            {run.virtualProxies.map((vp) => (
              <tr key={vp.prefix}>
                <td className="mono">{prefixLabel(vp.prefix)}</td>
                <td>{vp.description}</td>
                <td>{AUTH_METHODS[vp.authenticationMethod] ?? `Method ${vp.authenticationMethod}`}</td>
                <td className="mono">{vp.sessionCookieHeaderName}</td>
              </tr>
            ))}
          </Table>
        </details>
      ) : null}
    </section>
  );
}
