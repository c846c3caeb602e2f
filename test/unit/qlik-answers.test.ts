// The QPS and QRS answers Usher reads (sessions, tickets; about, proxy services, virtual proxies) are read
// by valibot schemas,
// leniently as Qlik's versions differ: a field missing or of the wrong type takes its default, an
// embedded object may be null; only what Usher cannot work without refuses the answer.
import { describe, expect, it } from 'vitest';
import { ShapeError, type CallSpec } from '../../electron/core/qlik/http';
import { QpsApi } from '../../electron/core/qlik/qps';
import { QrsApi } from '../../electron/core/qlik/qrs';

/** A QRS whose every GET answers `json` (camel-cased as the real client does). */
function qrsAnswering(json: unknown): QrsApi {
  const transport = { call: async <T>(spec: CallSpec<T>): Promise<T> => spec.parse(json) };
  return new QrsApi(transport as never, 'https://qrs.test:4242', { userDirectory: 'INTERNAL', userId: 'sa_repository' });
}

describe('QRS answers', () => {
  it('a proxy service with null settings and no node: every field at its default', async () => {
    const [service] = await qrsAnswering([{ id: 'p1', settings: null }]).proxyServices();
    expect(service).toEqual({
      id: 'p1',
      settings: { listenPort: 443, restListenPort: 4243, allowHttp: false, virtualProxies: [] },
      serverNodeConfiguration: { name: '', hostName: '' },
    });
  });

  it('a proxy service as Qlik sends it: ports, node and linked virtual proxies read, wrong types defaulted', async () => {
    const [service] = await qrsAnswering([
      {
        Id: 'p2',
        Settings: {
          ListenPort: 8443,
          RestListenPort: '4243',
          AllowHttp: true,
          UnencryptedListenPort: 80,
          AuthenticationListenPort: 'x',
          VirtualProxies: [{ Id: 'vp1', Prefix: 'ticket', LoadBalancingServerNodes: ['n1', { Id: 'n2', Name: 'rim1', HostName: 'rim1.test' }] }],
        },
        ServerNodeConfiguration: { Id: 'n1', Name: 'central', HostName: 'central.test' },
      },
    ]).proxyServices();
    expect(service!.settings).toMatchObject({ listenPort: 8443, restListenPort: 4243, allowHttp: true, unencryptedListenPort: 80 });
    expect(service!.settings).not.toHaveProperty('authenticationListenPort');
    expect(service!.serverNodeConfiguration).toEqual({ id: 'n1', name: 'central', hostName: 'central.test' });
    expect(service!.settings.virtualProxies[0]).toMatchObject({
      id: 'vp1',
      prefix: 'ticket',
      loadBalancingServerNodes: [
        { id: 'n1', name: '', hostName: '' },
        { id: 'n2', name: 'rim1', hostName: 'rim1.test' },
      ],
    });
  });

  it('refuses what Usher cannot work without, naming the field', async () => {
    await expect(qrsAnswering({ buildDate: 'x' }).about()).rejects.toThrow(new ShapeError('is not the QRS about answer (no buildVersion)'));
    await expect(qrsAnswering([{ prefix: 'x' }]).virtualProxies()).rejects.toThrow(new ShapeError('is not a virtual proxy (no id)'));
    await expect(qrsAnswering({}).proxyServices()).rejects.toThrow(new ShapeError('is not a list of proxy services'));
    await expect(qrsAnswering([{ id: 'p', settings: 'x' }]).proxyServices()).rejects.toThrow(ShapeError);
  });

  it('the about answer keeps every field, the four Usher shows read with defaults', async () => {
    const about = await qrsAnswering({ BuildVersion: '14.0', NodeType: 'x', SchemaPath: 'About' }).about();
    expect(about).toEqual({ buildVersion: '14.0', buildDate: '', databaseProvider: '', nodeType: 0, schemaPath: 'About' });
  });
});

/** A QPS whose every call answers `json`. */
function qpsAnswering(json: unknown): QpsApi {
  const transport = { call: async <T>(spec: CallSpec<T>): Promise<T> => spec.parse(json) };
  return new QpsApi(transport as never, 'https://qps.test:4243', 'ticket');
}

describe('QPS answers', () => {
  it('a ticket: attributes kept as single-key string objects, others stringified, non-objects dropped; an empty TargetUri left out', async () => {
    const ticket = await qpsAnswering({
      UserDirectory: 'D',
      UserId: 'u',
      Attributes: [{ Group: 'Sales' }, { Level: 3 }, 'x', ['y'], null],
      Ticket: 't-1',
      TargetUri: '',
    }).requestTicket({ userDirectory: 'D', userId: 'u' });
    expect(ticket).toEqual({ userDirectory: 'D', userId: 'u', attributes: [{ Group: 'Sales' }, { Level: '3' }], ticket: 't-1' });
  });

  it('sessions: a missing session id refuses the answer, naming it; attributes that are no list are none', async () => {
    const ok = await qpsAnswering([{ UserDirectory: 'D', UserId: 'u', SessionId: 's', Attributes: 'x', UserName: 7 }]).userSessions('D', 'u');
    expect(ok).toEqual([{ userDirectory: 'D', userId: 'u', attributes: [], sessionId: 's' }]);
    await expect(qpsAnswering([{ UserDirectory: 'D', UserId: 'u' }]).userSessions('D', 'u')).rejects.toThrow(new ShapeError('is not a session (no sessionId)'));
    await expect(qpsAnswering({}).userSessions('D', 'u')).rejects.toThrow(new ShapeError('is not a list of sessions'));
  });
});
