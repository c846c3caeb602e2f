// One model of the QRS virtual proxy (core/qlik/virtual-proxy.ts) for the client and the simulator: the
// client reads a QRS answer leniently (a field missing or mistyped takes the QRS default, a bad mapping
// row is dropped), the simulator holds a site file to the same fields' types.
import { describe, expect, it } from 'vitest';
import { readVirtualProxyFields, virtualProxyDefaults } from '../../electron/core/qlik/virtual-proxy';
import { parseSiteDescription } from '../../electron/simulator/site';

describe('the virtual proxy model', () => {
  it('reads a QRS answer leniently, with the QRS defaults', () => {
    const fields = readVirtualProxyFields({
      prefix: 'jwt',
      authenticationMethod: 4,
      sameSiteAttributeHttps: 'Lax',
      jwtAttributeMap: [{ jwtAttribute: 'groups', senseAttribute: 'group' }, { jwtAttribute: 'orphan' }],
      somethingNewer: true,
    });
    expect(fields).toEqual({
      ...virtualProxyDefaults('jwt'),
      authenticationMethod: 4,
      jwtAttributeMap: [{ jwtAttribute: 'groups', senseAttribute: 'group', isMandatory: false }],
    });
    expect(fields.sessionCookieHeaderName).toBe('X-Qlik-Session-jwt');
  });

  it('holds a site file to the same fields, with the same defaults', () => {
    const site = parseSiteDescription({ nodes: [{ id: 'n' }], virtualProxies: [{ id: 'v', prefix: 'v', authenticationMethod: 4 }] });
    expect(site.virtualProxies.find((vp) => vp.prefix === 'v')).toEqual({
      ...virtualProxyDefaults('v'),
      id: 'v',
      loadBalancingServerNodes: ['n'],
      description: 'Virtual proxy v',
      authenticationMethod: 4,
    });
    expect(() => parseSiteDescription({ nodes: [{ id: 'n' }], virtualProxies: [{ id: 'v', hasSecureAttributeHttps: 'yes' }] })).toThrow(
      'virtualProxies[0].hasSecureAttributeHttps: must be true or false, got a string',
    );
  });
});
