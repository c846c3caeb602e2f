// The data each demo app carries: one small table, so that hypercubes, selections and exports compute
// real answers (a selection on Region changes the totals; an export holds the rows the selection left).
import { crc32 } from 'node:zlib';
import type { AppDescription } from '../site';

export type CellValue = string | number;

export interface DataTable {
  /** Field names, in load order. */
  fields: string[];
  rows: CellValue[][];
}

const SALES: DataTable = {
  fields: ['Region', 'Product', 'Year', 'Sales'],
  rows: [
    ['North', 'Bikes', 2024, 1200],
    ['North', 'Helmets', 2024, 340],
    ['North', 'Bikes', 2025, 1410],
    ['South', 'Bikes', 2024, 950],
    ['South', 'Helmets', 2025, 275],
    ['South', 'Lights', 2025, 190],
    ['East', 'Bikes', 2025, 880],
    ['East', 'Lights', 2024, 160],
    ['West', 'Helmets', 2024, 430],
    ['West', 'Bikes', 2025, 1020],
  ],
};

const FINANCE: DataTable = {
  fields: ['Quarter', 'Account', 'Amount'],
  rows: [
    ['Q1', 'Revenue', 5200],
    ['Q1', 'Costs', 3100],
    ['Q2', 'Revenue', 6100],
    ['Q2', 'Costs', 3350],
    ['Q3', 'Revenue', 5800],
    ['Q3', 'Costs', 3600],
    ['Q4', 'Revenue', 7000],
    ['Q4', 'Costs', 3900],
  ],
};

const HR: DataTable = {
  fields: ['Department', 'Office', 'Headcount'],
  rows: [
    ['Engineering', 'Lund', 42],
    ['Engineering', 'Ottawa', 18],
    ['Sales', 'Lund', 12],
    ['Sales', 'Paris', 9],
    ['Support', 'Ottawa', 15],
    ['Support', 'Paris', 7],
  ],
};

const KNOWN: Record<string, DataTable> = { 'a1-sales': SALES, 'a2-finance': FINANCE, 'a3-hr': HR };

/**
 * The table of `app`: the demo apps' own, otherwise one derived from the app id (the same app always
 * gets the same numbers, so tests on generated sites are repeatable).
 */
export function appData(app: AppDescription): DataTable {
  const known = KNOWN[app.id];
  if (known) return known;
  const seed = crc32(app.id) >>> 0;
  const regions = ['North', 'South', 'East', 'West'];
  const categories = ['A', 'B', 'C'];
  const rows: CellValue[][] = [];
  regions.forEach((region, r) => {
    categories.forEach((category, c) => {
      rows.push([region, category, ((seed >>> ((r * 3 + c) % 24)) % 900) + 100]);
    });
  });
  return { fields: ['Region', 'Category', 'Value'], rows };
}
