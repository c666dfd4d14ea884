/**
 * The Star Schema Benchmark, flattened (lineorder joined with date, customer,
 * supplier and part, as Druid and ClickHouse run it): a deterministic
 * generator with dbgen's value domains, and the 13 queries. Scale factor 1 is
 * 6,000,000 rows; order dates run 1992-01-01 to 1998-08-02, in time order.
 */
import type { DataSchema, InputRow } from '../../storage/schema.ts';
import { seededRandom } from '../../test/support/seeded-random.ts';

export const SSB_STRINGS = ['d_yearmonth', 'c_city', 'c_nation', 'c_region', 's_city', 's_nation', 's_region', 'p_mfgr', 'p_category', 'p_brand1'] as const;
export const SSB_LONGS = ['d_year', 'd_yearmonthnum', 'd_weeknuminyear', 'lo_quantity', 'lo_discount', 'lo_extendedprice', 'lo_revenue', 'lo_supplycost'] as const;

const NATIONS: readonly [string, string][] = [
  ['ALGERIA', 'AFRICA'], ['ARGENTINA', 'AMERICA'], ['BRAZIL', 'AMERICA'], ['CANADA', 'AMERICA'], ['EGYPT', 'MIDDLE EAST'],
  ['ETHIOPIA', 'AFRICA'], ['FRANCE', 'EUROPE'], ['GERMANY', 'EUROPE'], ['INDIA', 'ASIA'], ['INDONESIA', 'ASIA'],
  ['IRAN', 'MIDDLE EAST'], ['IRAQ', 'MIDDLE EAST'], ['JAPAN', 'ASIA'], ['JORDAN', 'MIDDLE EAST'], ['KENYA', 'AFRICA'],
  ['MOROCCO', 'AFRICA'], ['MOZAMBIQUE', 'AFRICA'], ['PERU', 'AMERICA'], ['CHINA', 'ASIA'], ['ROMANIA', 'EUROPE'],
  ['SAUDI ARABIA', 'MIDDLE EAST'], ['VIETNAM', 'ASIA'], ['RUSSIA', 'EUROPE'], ['UNITED KINGDOM', 'EUROPE'], ['UNITED STATES', 'AMERICA'],
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FIRST_DAY = Date.UTC(1992, 0, 1);
const LAST_DAY = Date.UTC(1998, 7, 2);
const DAY = 86_400_000;


/** City names as dbgen makes them: the nation's first 9 letters, space-padded, then a digit. */
function city(nation: string, k: number): string {
  return `${nation.slice(0, 9).padEnd(9, ' ')}${k}`;
}

/** Rows of the flattened lineorder table at scale factor `sf`, in order-date order. */
export function generateSsb(sf: number, seed = 19920101): InputRow[] {
  return [...ssbRows(sf, seed)];
}

/** Number of lineorder rows at scale factor `sf`. */
export function ssbRowCount(sf: number): number {
  return Math.round(6_000_000 * sf);
}

/** generateSsb's rows one at a time (the same rows, none kept). */
export function* ssbRows(sf: number, seed = 19920101): Generator<InputRow> {
  const n = ssbRowCount(sf);
  const rnd = seededRandom(seed);
  const days = (LAST_DAY - FIRST_DAY) / DAY + 1;
  for (let i = 0; i < n; i++) {
    const day = FIRST_DAY + Math.floor((i * days) / n) * DAY;
    const date = new Date(day);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth();
    const dayOfYear = Math.floor((day - Date.UTC(year, 0, 1)) / DAY);
    const [cn, cr] = NATIONS[Math.floor(rnd() * 25)];
    const [sn, sr] = NATIONS[Math.floor(rnd() * 25)];
    const mfgr = 1 + Math.floor(rnd() * 5);
    const category = 1 + Math.floor(rnd() * 5);
    const brand = 1 + Math.floor(rnd() * 40);
    const quantity = 1 + Math.floor(rnd() * 50);
    const discount = Math.floor(rnd() * 11);
    const price = 90_000 + Math.floor(rnd() * 110_000);
    const extended = quantity * price;
    yield {
      __time: day,
      d_year: year,
      d_yearmonthnum: year * 100 + month + 1,
      d_yearmonth: `${MONTHS[month]}${year}`,
      d_weeknuminyear: Math.floor(dayOfYear / 7) + 1,
      c_city: city(cn, Math.floor(rnd() * 10)), c_nation: cn, c_region: cr,
      s_city: city(sn, Math.floor(rnd() * 10)), s_nation: sn, s_region: sr,
      p_mfgr: `MFGR#${mfgr}`, p_category: `MFGR#${mfgr}${category}`, p_brand1: `MFGR#${mfgr}${category}${brand}`,
      lo_quantity: quantity, lo_discount: discount, lo_extendedprice: extended,
      lo_revenue: Math.floor((extended * (100 - discount)) / 100), lo_supplycost: Math.floor((price * 6) / 10),
    };
  }
}

/** Nemeton's schema for the flattened table (one segment per year). */
export function ssbSchema(): DataSchema {
  return {
    dataSource: 'lineorder',
    dimensionsSpec: {
      dimensions: [
        ...SSB_STRINGS.map((name) => ({ name, type: 'string' as const })),
        ...SSB_LONGS.map((name) => ({ name, type: 'long' as const })),
      ],
    },
    metricsSpec: [],
    queryGranularity: 'none',
    segmentGranularity: 'year',
    rollup: false,
  };
}

/** The 13 SSB queries over the flattened table; the same text runs in Nemeton, DuckDB, PostgreSQL and SQLite. */
export const SSB_QUERIES: readonly { readonly name: string; readonly sql: string }[] = [
  { name: 'Q1.1', sql: 'SELECT SUM(lo_extendedprice * lo_discount) AS revenue FROM lineorder WHERE d_year = 1993 AND lo_discount BETWEEN 1 AND 3 AND lo_quantity < 25' },
  { name: 'Q1.2', sql: 'SELECT SUM(lo_extendedprice * lo_discount) AS revenue FROM lineorder WHERE d_yearmonthnum = 199401 AND lo_discount BETWEEN 4 AND 6 AND lo_quantity BETWEEN 26 AND 35' },
  { name: 'Q1.3', sql: 'SELECT SUM(lo_extendedprice * lo_discount) AS revenue FROM lineorder WHERE d_weeknuminyear = 6 AND d_year = 1994 AND lo_discount BETWEEN 5 AND 7 AND lo_quantity BETWEEN 26 AND 35' },
  { name: 'Q2.1', sql: "SELECT d_year, p_brand1, SUM(lo_revenue) AS revenue FROM lineorder WHERE p_category = 'MFGR#12' AND s_region = 'AMERICA' GROUP BY d_year, p_brand1 ORDER BY d_year, p_brand1" },
  { name: 'Q2.2', sql: "SELECT d_year, p_brand1, SUM(lo_revenue) AS revenue FROM lineorder WHERE p_brand1 BETWEEN 'MFGR#2221' AND 'MFGR#2228' AND s_region = 'ASIA' GROUP BY d_year, p_brand1 ORDER BY d_year, p_brand1" },
  { name: 'Q2.3', sql: "SELECT d_year, p_brand1, SUM(lo_revenue) AS revenue FROM lineorder WHERE p_brand1 = 'MFGR#2239' AND s_region = 'EUROPE' GROUP BY d_year, p_brand1 ORDER BY d_year, p_brand1" },
  { name: 'Q3.1', sql: "SELECT c_nation, s_nation, d_year, SUM(lo_revenue) AS revenue FROM lineorder WHERE c_region = 'ASIA' AND s_region = 'ASIA' AND d_year >= 1992 AND d_year <= 1997 GROUP BY c_nation, s_nation, d_year ORDER BY d_year ASC, revenue DESC" },
  { name: 'Q3.2', sql: "SELECT c_city, s_city, d_year, SUM(lo_revenue) AS revenue FROM lineorder WHERE c_nation = 'UNITED STATES' AND s_nation = 'UNITED STATES' AND d_year >= 1992 AND d_year <= 1997 GROUP BY c_city, s_city, d_year ORDER BY d_year ASC, revenue DESC" },
  { name: 'Q3.3', sql: "SELECT c_city, s_city, d_year, SUM(lo_revenue) AS revenue FROM lineorder WHERE (c_city = 'UNITED KI1' OR c_city = 'UNITED KI5') AND (s_city = 'UNITED KI1' OR s_city = 'UNITED KI5') AND d_year >= 1992 AND d_year <= 1997 GROUP BY c_city, s_city, d_year ORDER BY d_year ASC, revenue DESC" },
  { name: 'Q3.4', sql: "SELECT c_city, s_city, d_year, SUM(lo_revenue) AS revenue FROM lineorder WHERE (c_city = 'UNITED KI1' OR c_city = 'UNITED KI5') AND (s_city = 'UNITED KI1' OR s_city = 'UNITED KI5') AND d_yearmonth = 'Dec1997' GROUP BY c_city, s_city, d_year ORDER BY d_year ASC, revenue DESC" },
  { name: 'Q4.1', sql: "SELECT d_year, c_nation, SUM(lo_revenue - lo_supplycost) AS profit FROM lineorder WHERE c_region = 'AMERICA' AND s_region = 'AMERICA' AND (p_mfgr = 'MFGR#1' OR p_mfgr = 'MFGR#2') GROUP BY d_year, c_nation ORDER BY d_year, c_nation" },
  { name: 'Q4.2', sql: "SELECT d_year, s_nation, p_category, SUM(lo_revenue - lo_supplycost) AS profit FROM lineorder WHERE c_region = 'AMERICA' AND s_region = 'AMERICA' AND (d_year = 1997 OR d_year = 1998) AND (p_mfgr = 'MFGR#1' OR p_mfgr = 'MFGR#2') GROUP BY d_year, s_nation, p_category ORDER BY d_year, s_nation, p_category" },
  { name: 'Q4.3', sql: "SELECT d_year, s_city, p_brand1, SUM(lo_revenue - lo_supplycost) AS profit FROM lineorder WHERE s_nation = 'UNITED STATES' AND (d_year = 1997 OR d_year = 1998) AND p_category = 'MFGR#14' GROUP BY d_year, s_city, p_brand1 ORDER BY d_year, s_city, p_brand1" },
];
