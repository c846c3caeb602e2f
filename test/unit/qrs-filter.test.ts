// The QRS filter and orderby languages on their own: a table of filters over a few entities shaped as
// the QRS answers them, and a table of malformed filters that Qlik refuses (the QRS answers them 400).
import { describe, expect, it } from 'vitest';
import {
  QrsFilterError,
  matchesQrsFilter,
  parseQrsFilter,
  parseQrsOrderBy,
  qrsEquals,
  qrsQuote,
  sortQrsEntities,
  type QrsEnums,
} from '../../electron/core/qlik/qrs-filter';

const CENTRAL = '0f3c5a8e-1111-4a4a-9b9b-000000000001';
const RIM = '0f3c5a8e-2222-4a4a-9b9b-000000000002';

const entities = [
  {
    id: 'aaaaaaaa-0000-4000-8000-000000000001',
    name: 'Sales',
    prefix: 'ticket',
    sessionInactivityTimeout: 30,
    defaultVirtualProxy: false,
    modifiedDate: '2024-05-01T10:00:00.000Z',
    stream: { id: 'bbbbbbbb-0000-4000-8000-000000000001', name: 'Everyone' },
    serverNodeConfiguration: { id: CENTRAL, hostName: 'central.usher.test' },
    tags: [{ id: 'cccccccc-0000-4000-8000-000000000001', name: 'Mashup' }],
    description: "O'Brien's app",
  },
  {
    id: 'aaaaaaaa-0000-4000-8000-000000000002',
    name: 'Finance',
    prefix: '',
    sessionInactivityTimeout: 60,
    defaultVirtualProxy: true,
    modifiedDate: '2024-06-01T10:00:00.000Z',
    stream: null,
    serverNodeConfiguration: { id: RIM, hostName: 'rim1.usher.test' },
    tags: [],
    description: 'Finance',
  },
  {
    id: 'aaaaaaaa-0000-4000-8000-000000000003',
    name: 'HR',
    prefix: 'header',
    sessionInactivityTimeout: 10080,
    defaultVirtualProxy: false,
    modifiedDate: '2023-01-01T00:00:00.000Z',
    stream: { id: 'bbbbbbbb-0000-4000-8000-000000000001', name: 'Everyone' },
    serverNodeConfiguration: { id: RIM, hostName: 'rim1.usher.test' },
    tags: [
      { id: 'cccccccc-0000-4000-8000-000000000002', name: 'People' },
      { id: 'cccccccc-0000-4000-8000-000000000001', name: 'Mashup' },
    ],
    description: '',
  },
];

function names(filter: string): string[] {
  const parsed = parseQrsFilter(filter);
  return entities.filter((e) => matchesQrsFilter(parsed, e)).map((e) => e.name);
}

describe('filter: what matches', () => {
  const cases: Array<[string, string[]]> = [
    ["name eq 'Sales'", ['Sales']],
    ["Name eq 'sales'", ['Sales']], // property names and string values ignore case
    ["NAME EQ 'SALES'", ['Sales']], // so do operators
    ["name ne 'Sales'", ['Finance', 'HR']],
    ["prefix eq ''", ['Finance']],
    ["name sw 'fi'", ['Finance']],
    ["name ew 'ES'", ['Sales']],
    ["name so 'an'", ['Finance']],
    ["description so 'o''brien'", ['Sales']], // '' is a quote inside a value
    ['sessionInactivityTimeout gt 30', ['Finance', 'HR']],
    ['sessionInactivityTimeout ge 60', ['Finance', 'HR']],
    ['sessionInactivityTimeout lt 60', ['Sales']],
    ['sessionInactivityTimeout le 30', ['Sales']],
    ['sessionInactivityTimeout eq 30', ['Sales']],
    ['defaultVirtualProxy eq true', ['Finance']],
    ['defaultVirtualProxy eq False', ['Sales', 'HR']],
    ['stream eq null', ['Finance']],
    ['stream ne null', ['Sales', 'HR']],
    ["stream.name eq 'everyone'", ['Sales', 'HR']],
    [`id eq aaaaaaaa-0000-4000-8000-000000000002`, ['Finance']], // GUIDs unquoted
    [`id eq AAAAAAAA-0000-4000-8000-000000000002`, ['Finance']],
    [`serverNodeConfiguration.id eq ${RIM}`, ['Finance', 'HR']],
    ["serverNodeConfiguration.hostName eq 'central.usher.test'", ['Sales']],
    ["tags.name eq 'Mashup'", ['Sales', 'HR']], // any element of a list
    ["tags.name ne 'Mashup'", ['Finance']], // no element of the list
    ["tags.name eq 'People' and tags.name eq 'mashup'", ['HR']],
    ["modifiedDate gt '2024-01-01'", ['Sales', 'Finance']],
    ["modifiedDate lt '2024-05-15 00:00:00'", ['Sales', 'HR']],
    ["name eq 'Sales' or name eq 'HR'", ['Sales', 'HR']],
    ["name eq 'Sales' or name eq 'HR' and prefix eq 'ticket'", ['Sales']], // and binds tighter than or
    ["(name eq 'Sales' or name eq 'HR') and prefix eq 'header'", ['HR']],
    ["not name eq 'Sales'", ['Finance', 'HR']],
    ["not (name eq 'Sales' or name eq 'HR')", ['Finance']],
    ["((name eq 'Finance'))", ['Finance']],
    ["name eq 'Sales' and not stream eq null", ['Sales']],
  ];
  it.each(cases)('%s', (filter, expected) => {
    expect(names(filter)).toEqual(expected);
  });
});

describe('filter: what Qlik refuses (400)', () => {
  const malformed: Array<[string, RegExp]> = [
    ['', /empty/],
    ['   ', /empty/],
    ['name', /operator/],
    ["name 'Sales'", /operator/],
    ["name is 'Sales'", /operator/],
    ['name eq', /expected a value/],
    ["name eq 'Sales", /not closed/],
    ["name eq 'Sales' and", /property name/],
    ["name eq 'Sales' or or name eq 'HR'", /property name/],
    ["name eq 'Sales' name eq 'HR'", /expected "and", "or"/],
    ["(name eq 'Sales'", /expected "\)"/],
    ["name eq 'Sales')", /expected "and", "or"/],
    ["() and name eq 'x'", /property name/],
    ['name eq Sales Team', /expected "and", "or"/],
    ['name eq a-b', /not a value/],
    ["name. eq 'x'", /not a property name/],
    ["1name eq 'x'", /not a property name/],
    ['name sw 12', /compares strings/],
    ['name so null', /compares strings/],
  ];
  it.each(malformed)('%j', (filter, message) => {
    expect(() => parseQrsFilter(filter)).toThrow(QrsFilterError);
    expect(() => parseQrsFilter(filter)).toThrow(message);
  });

  it('refuses an unknown property and ordering true/false values when it evaluates them', () => {
    expect(() => names("nosuchfield eq 'x'")).toThrow(/no property "nosuchfield"/);
    expect(() => names("stream.nosuch eq 'x'")).toThrow(QrsFilterError);
    expect(() => names('defaultVirtualProxy gt true')).toThrow(/cannot order/);
  });
});

describe('enum values by name', () => {
  const vps = [
    { prefix: 'ticket', authenticationMethod: 0 },
    { prefix: 'header', authenticationMethod: 1 },
    { prefix: 'jwt', authenticationMethod: 4 },
  ];
  const enums = { authenticationmethod: ['Ticket', 'HeaderStaticUserDirectory', 'HeaderDynamicUserDirectory', 'SAML', 'JWT', 'OIDC'] };
  const prefixes = (filter: string, withEnums: QrsEnums = enums) =>
    vps.filter((vp) => matchesQrsFilter(parseQrsFilter(filter), vp, withEnums)).map((vp) => vp.prefix);

  it('reads a bare name as its number where the property has enum names', () => {
    expect(prefixes('authenticationMethod eq HeaderStaticUserDirectory')).toEqual(['header']);
    expect(prefixes('AuthenticationMethod ne ticket')).toEqual(['header', 'jwt']);
    expect(prefixes('authenticationMethod ge SAML')).toEqual(['jwt']);
    expect(prefixes('authenticationMethod eq 4')).toEqual(['jwt']);
  });

  it('refuses a name the enum does not have, and matches nothing where no names are known', () => {
    expect(() => prefixes('authenticationMethod eq Kerberos')).toThrow(/"Kerberos" is not a value of authenticationMethod/);
    expect(prefixes('authenticationMethod eq Ticket', {})).toEqual([]);
  });
});

describe('orderby', () => {
  it('sorts ascending by default, descending when asked, by nested fields, stably', () => {
    const by = (text: string) => sortQrsEntities(entities, parseQrsOrderBy(text)).map((e) => e.name);
    expect(by('name')).toEqual(['Finance', 'HR', 'Sales']);
    expect(by('Name desc')).toEqual(['Sales', 'HR', 'Finance']);
    expect(by('sessionInactivityTimeout desc')).toEqual(['HR', 'Finance', 'Sales']);
    expect(by('serverNodeConfiguration.hostName, name desc')).toEqual(['Sales', 'HR', 'Finance']);
    expect(by('stream.name')).toEqual(['Finance', 'Sales', 'HR']); // null first, ties keep their order
  });

  it('refuses what it cannot read', () => {
    for (const bad of ['', 'name,', 'name sideways', 'name desc extra', 'na-me']) {
      expect(() => parseQrsOrderBy(bad), bad).toThrow(QrsFilterError);
    }
  });
});

describe('building filters', () => {
  it('quotes strings so that the parser reads back what was meant', () => {
    expect(qrsQuote("it's")).toBe("'it''s'");
    const filter = parseQrsFilter(qrsEquals('description', "O'Brien's app"));
    expect(entities.filter((e) => matchesQrsFilter(filter, e)).map((e) => e.name)).toEqual(['Sales']);
  });
});
