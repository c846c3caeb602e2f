// The simulated engine's method table is an extract of Qlik's published engine schema: it must match the
// schema file enigma.js ships, parameter by parameter, and every modelled method must have a handler.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HANDLERS } from '../../electron/simulator/engine/handlers';
import { enumValue } from '../../electron/simulator/engine/params';
import { MODELLED_METHODS, QIX_ENUMS, QIX_SCHEMA_VERSION, SCHEMA_METHOD_NAMES, type QixClass } from '../../electron/simulator/engine/qix-schema';

// Resolved from the project root, as the package is installed there.
const require = createRequire(join(__dirname, '..', '..', 'package.json'));
const schema = JSON.parse(readFileSync(require.resolve(`enigma.js/schemas/${QIX_SCHEMA_VERSION}.json`), 'utf8')) as {
  structs: Record<string, Record<string, { In: Array<{ Name: string; DefaultValue: unknown; Optional?: boolean }>; Out: Array<{ Name: string }> }>>;
  enums: Record<string, Record<string, number>>;
};

describe('engine schema extract', () => {
  const classes = Object.keys(MODELLED_METHODS) as QixClass[];

  it.each(classes)("%s: every modelled method has the schema's parameters and out names", (cls) => {
    for (const [method, declared] of Object.entries(MODELLED_METHODS[cls])) {
      const real = schema.structs[cls]![method];
      expect(real, `${cls}.${method} is in the schema`).toBeDefined();
      expect(declared.params).toEqual(real!.In.map((p) => ({ name: p.Name, defaultValue: p.DefaultValue, optional: p.Optional === true })));
      expect(declared.out).toEqual(real!.Out.map((o) => o.Name));
    }
  });

  it.each(classes)("%s: the name list is the schema's", (cls) => {
    expect([...SCHEMA_METHOD_NAMES[cls]]).toEqual(Object.keys(schema.structs[cls]!).sort());
  });

  it.each(classes)('%s: handlers and the modelled methods are the same set', (cls) => {
    expect(Object.keys(HANDLERS[cls]).sort()).toEqual(Object.keys(MODELLED_METHODS[cls]).sort());
  });

  it('copies the enums the methods take, and reads them by number or name', () => {
    for (const [name, values] of Object.entries(QIX_ENUMS)) expect(values).toEqual(schema.enums[name]);
    expect(enumValue('CSV_T', QIX_ENUMS.ExportFileType)).toBe(1);
    expect(enumValue('EXPORT_OOXML', QIX_ENUMS.ExportFileType)).toBe(2);
    expect(enumValue(3, QIX_ENUMS.ExportFileType)).toBe(3);
    expect(enumValue(9, QIX_ENUMS.ExportFileType)).toBeUndefined();
    expect(enumValue('XLSX', QIX_ENUMS.ExportFileType)).toBeUndefined();
  });
});
