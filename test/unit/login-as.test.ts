// "Log in as" pieces without a site: which methods a virtual proxy takes (from QRS authenticationMethod),
// the header a header virtual proxy reads (static and dynamic directory), and the partition's per-origin
// header store that keeps a credential to exactly one origin.
import { describe, expect, it } from 'vitest';
import { bearerCredential, checkLoginMethod, headerCredential } from '../../electron/core/sessions/login-as';
import { SiteHeaders } from '../../electron/hosts/site-headers';
import { loginMethodsOf } from '../../shared/login-as';

const staticVp = {
  prefix: 'header',
  authenticationMethod: 1,
  headerAuthenticationHeaderName: 'X-Usher-User',
  headerAuthenticationStaticUserDirectory: 'HEADER',
};
const dynamicVp = { ...staticVp, prefix: 'dyn', authenticationMethod: 2 };

describe('login methods of a virtual proxy', () => {
  it.each([
    [0, ['ticket', 'session']],
    [1, ['header', 'session']],
    [2, ['header', 'session']],
    [3, ['session']],
    [4, ['jwt', 'session']],
    [5, ['session']],
  ])('authenticationMethod %i takes %j', (code, methods) => {
    expect(loginMethodsOf(code)).toEqual(methods);
  });

  it('refuses another method with the ones the virtual proxy takes', () => {
    expect(() => checkLoginMethod({ prefix: 'jwt', authenticationMethod: 4 }, 'ticket')).toThrow(
      expect.objectContaining({ code: 'METHOD_NOT_TAKEN', hint: expect.stringContaining('JWT (bearer token) or Session API') }),
    );
    expect(() => checkLoginMethod({ prefix: 'jwt', authenticationMethod: 4 }, 'jwt')).not.toThrow();
  });
});

describe('header credential', () => {
  it('static directory: the user id alone, and only for that directory', () => {
    expect(headerCredential(staticVp, { userDirectory: 'header', userId: 'carol' })).toEqual({ 'X-Usher-User': 'carol' });
    expect(() => headerCredential(staticVp, { userDirectory: 'DEMO', userId: 'carol' })).toThrow(
      expect.objectContaining({ code: 'WRONG_DIRECTORY', badInput: true }),
    );
  });

  it('dynamic directory: DIRECTORY\\id', () => {
    expect(headerCredential(dynamicVp, { userDirectory: 'DEMO', userId: 'carol' })).toEqual({ 'X-Usher-User': 'DEMO\\carol' });
  });

  it('refuses a virtual proxy without a header name, and a user Qlik cannot take in a header', () => {
    expect(() => headerCredential({ ...staticVp, headerAuthenticationHeaderName: ' ' }, { userDirectory: 'HEADER', userId: 'carol' })).toThrow(
      expect.objectContaining({ code: 'HEADER_NAME_UNSET' }),
    );
    expect(() => headerCredential(dynamicVp, { userDirectory: 'DEMO', userId: 'zoë' })).toThrow(expect.objectContaining({ code: 'BAD_USER' }));
    expect(() => headerCredential(dynamicVp, { userDirectory: 'DEMO', userId: 'a\r\nX-Evil: 1' })).toThrow(expect.objectContaining({ code: 'BAD_USER' }));
    expect(() => headerCredential(staticVp, { userDirectory: 'HEADER', userId: 'a\\b' })).toThrow(expect.objectContaining({ code: 'BAD_USER' }));
  });

  it('bearer: the Authorization header', () => {
    expect(bearerCredential('a.b.c')).toEqual({ Authorization: 'Bearer a.b.c' });
  });
});

describe('SiteHeaders: one origin exactly', () => {
  it('adds the headers to that origin only', () => {
    const headers = new SiteHeaders();
    headers.set('https://qlik.example:8443', { 'X-Usher-User': 'carol' });
    expect(headers.for('https://qlik.example:8443/hub/')).toEqual({ 'X-Usher-User': 'carol' });
    expect(headers.for('https://QLIK.example:8443/')).toEqual({ 'X-Usher-User': 'carol' });
    for (const other of [
      'https://qlik.example/',
      'http://qlik.example:8443/',
      'https://qlik.example.evil:8443/',
      'https://x.qlik.example:8443/',
      'wss://qlik.example:8443/',
      'not a url',
    ]) {
      expect(headers.for(other)).toBeUndefined();
    }
    headers.set('https://qlik.example:8443', {});
    expect(headers.any()).toBe(false);
    expect(headers.for('https://qlik.example:8443/hub/')).toBeUndefined();
  });

  it('the default port is the same origin written either way', () => {
    const headers = new SiteHeaders();
    headers.set('https://qlik.example', { Authorization: 'Bearer t' });
    expect(headers.for('https://qlik.example:443/hub/')).toEqual({ Authorization: 'Bearer t' });
  });

  it('refuses an origin that is not one https origin, a name the browser keeps, a value that would split the request', () => {
    const headers = new SiteHeaders();
    for (const origin of ['http://qlik.example', 'https://qlik.example/hub/', 'qlik.example']) {
      expect(() => headers.set(origin, { A: 'b' })).toThrow(expect.objectContaining({ code: 'BAD_HEADERS' }));
    }
    expect(() => headers.set('https://qlik.example', { Cookie: 'X-Qlik-Session=1' })).toThrow(expect.objectContaining({ code: 'BAD_HEADERS' }));
    expect(() => headers.set('https://qlik.example', { 'Bad Name': 'x' })).toThrow(expect.objectContaining({ code: 'BAD_HEADERS' }));
    expect(() => headers.set('https://qlik.example', { A: 'x\r\nB: y' })).toThrow(expect.objectContaining({ code: 'BAD_HEADERS' }));
    expect(headers.any()).toBe(false);
  });
});
