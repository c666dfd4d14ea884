/**
 * The benchmark queries, Druid-shaped: each in Nemeton SQL, DuckDB/PostgreSQL
 * SQL, SQLite SQL, and as a hand-written typed-array loop (the ceiling to chase).
 */
import type { Dataset } from './dataset.ts';
import { SSB_QUERIES } from './ssb.ts';

export interface BenchQuery {
  readonly name: string;
  readonly kind: 'scan' | 'topN' | 'groupBy' | 'distinct' | 'ssb';
  /**
   * The performance goal the query stands for: 'half' = at most half of
   * DuckDB's (2 threads) median (time-filtered topN, groupBy with dimension
   * filters); 'par' = at most DuckDB's median (full scans, SSB).
   */
  readonly goal: 'half' | 'par';
  /** Reads every row of the table (its scan rate is rows ÷ time ÷ cores). */
  readonly fullScan?: boolean;
  readonly nemeton: string;
  readonly duckdb: string;
  readonly postgres: string;
  readonly sqlite: string;
  /** The hand-written loop over typed arrays; returns something so it cannot be optimised away. Absent for SSB. */
  readonly loop?: (d: Dataset) => number;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

function lowerBound(a: Float64Array, v: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) { const m = (lo + hi) >>> 1; if (a[m] < v) lo = m + 1; else hi = m; }
  return lo;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function benchQueries(d: Dataset): BenchQuery[] {
  const day1 = d.dayStart + DAY * Math.min(1, d.days - 1);
  const day2 = day1 + DAY;
  const en = '#en.wikipedia';
  const topUsers = d.dims.user.dictionary.slice(0, 5).filter((u): u is string => u !== null);
  const inList = topUsers.map((u) => `'${u.replace(/'/g, "''")}'`).join(', ');
  const nemetonDay = `__time >= TIMESTAMP '${iso(day1)}' AND __time < TIMESTAMP '${iso(day2)}'`;
  const duckDay = `__time >= TIMESTAMP '${iso(day1)}' AND __time < TIMESTAMP '${iso(day2)}'`;
  const sqliteDay = `__time >= ${day1} AND __time < ${day2}`;
  return [
    {
      name: 'count over one day', goal: 'par', kind: 'scan',
      nemeton: `SELECT COUNT(*) FROM wikipedia WHERE ${nemetonDay}`,
      duckdb: `SELECT COUNT(*) FROM wikipedia WHERE ${duckDay}`,
      postgres: `SELECT COUNT(*) FROM wikipedia WHERE ${duckDay}`,
      sqlite: `SELECT COUNT(*) FROM wikipedia WHERE ${sqliteDay}`,
      loop: (x) => lowerBound(x.time, day2) - lowerBound(x.time, day1),
    },
    {
      name: 'sum of a long column', goal: 'par', kind: 'scan', fullScan: true,
      nemeton: 'SELECT SUM(added) FROM wikipedia', duckdb: 'SELECT SUM(added) FROM wikipedia',
      postgres: 'SELECT SUM(added) FROM wikipedia', sqlite: 'SELECT SUM(added) FROM wikipedia',
      loop: (x) => { const a = x.metrics.added; let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; },
    },
    {
      name: 'sum of a double column', goal: 'par', kind: 'scan', fullScan: true,
      nemeton: 'SELECT SUM(score) FROM wikipedia', duckdb: 'SELECT SUM(score) FROM wikipedia',
      postgres: 'SELECT SUM(score) FROM wikipedia', sqlite: 'SELECT SUM(score) FROM wikipedia',
      loop: (x) => { const a = x.metrics.score; let s = 0; for (let i = 0; i < a.length; i++) s += a[i]; return s; },
    },
    {
      name: 'filtered count (channel, isRobot)', goal: 'par', kind: 'scan', fullScan: true,
      nemeton: `SELECT COUNT(*) FROM wikipedia WHERE channel = '${en}' AND isRobot = 'false'`,
      duckdb: `SELECT COUNT(*) FROM wikipedia WHERE channel = '${en}' AND isRobot = 'false'`,
      postgres: `SELECT COUNT(*) FROM wikipedia WHERE channel = '${en}' AND "isRobot" = 'false'`,
      sqlite: `SELECT COUNT(*) FROM wikipedia WHERE channel = '${en}' AND isRobot = 'false'`,
      loop: (x) => {
        const c = x.dims.channel.ids, r = x.dims.isRobot.ids;
        const ce = x.dims.channel.idOf.get(en) ?? -1, rf = x.dims.isRobot.idOf.get('false') ?? -1;
        let n = 0;
        for (let i = 0; i < c.length; i++) n += ((c[i] === ce) as unknown as number) & ((r[i] === rf) as unknown as number);
        return n;
      },
    },
    {
      name: 'topN pages, one channel, one day', goal: 'half', kind: 'topN',
      nemeton: `SELECT page, COUNT(*) AS c FROM wikipedia WHERE ${nemetonDay} AND channel = '${en}' GROUP BY page ORDER BY c DESC LIMIT 10`,
      duckdb: `SELECT page, COUNT(*) AS c FROM wikipedia WHERE ${duckDay} AND channel = '${en}' GROUP BY page ORDER BY c DESC LIMIT 10`,
      postgres: `SELECT page, COUNT(*) AS c FROM wikipedia WHERE ${duckDay} AND channel = '${en}' GROUP BY page ORDER BY c DESC LIMIT 10`,
      sqlite: `SELECT page, COUNT(*) AS c FROM wikipedia WHERE ${sqliteDay} AND channel = '${en}' GROUP BY page ORDER BY c DESC LIMIT 10`,
      loop: (x) => {
        const lo = lowerBound(x.time, day1), hi = lowerBound(x.time, day2);
        const c = x.dims.channel.ids, p = x.dims.page.ids, ce = x.dims.channel.idOf.get(en) ?? -1;
        const counts = new Int32Array(x.dims.page.dictionary.length);
        for (let i = lo; i < hi; i++) if (c[i] === ce) counts[p[i]]++;
        let best = 0;
        for (let k = 0; k < 10; k++) { let m = -1, mi = 0; for (let j = 0; j < counts.length; j++) if (counts[j] > m) { m = counts[j]; mi = j; } counts[mi] = -1; best += m; }
        return best;
      },
    },
    {
      name: 'groupBy hour x channel', goal: 'par', kind: 'groupBy',
      nemeton: `SELECT TIME_FLOOR(__time, 'PT1H') AS h, channel, COUNT(*), SUM(added) FROM wikipedia GROUP BY 1, 2`,
      duckdb: `SELECT date_trunc('hour', __time) AS h, channel, COUNT(*), SUM(added) FROM wikipedia GROUP BY 1, 2`,
      postgres: `SELECT date_trunc('hour', __time) AS h, channel, COUNT(*), SUM(added) FROM wikipedia GROUP BY 1, 2`,
      sqlite: `SELECT __time / ${HOUR} AS h, channel, COUNT(*), SUM(added) FROM wikipedia GROUP BY 1, 2`,
      loop: (x) => {
        const c = x.dims.channel.ids, card = x.dims.channel.dictionary.length, a = x.metrics.added, t = x.time;
        const hours = x.days * 24;
        const counts = new Float64Array(hours * card), sums = new Float64Array(hours * card);
        let i = 0;
        for (let h = 0; h < hours; h++) {
          const end = lowerBound(t, x.dayStart + (h + 1) * HOUR);
          const base = h * card;
          for (; i < end; i++) { const k = base + c[i]; counts[k]++; sums[k] += a[i]; }
        }
        let groups = 0;
        for (let k = 0; k < counts.length; k++) if (counts[k] > 0) groups++;
        return groups;
      },
    },
    {
      name: 'exact count distinct user', goal: 'par', kind: 'distinct',
      nemeton: 'SELECT COUNT(*) FROM (SELECT "user" FROM wikipedia GROUP BY "user")',
      duckdb: 'SELECT COUNT(DISTINCT "user") FROM wikipedia',
      postgres: 'SELECT COUNT(DISTINCT "user") FROM wikipedia',
      sqlite: 'SELECT COUNT(DISTINCT user) FROM wikipedia',
      loop: (x) => { const u = x.dims.user.ids; const seen = new Uint8Array(x.dims.user.dictionary.length); let n = 0; for (let i = 0; i < u.length; i++) { if (!seen[u[i]]) { seen[u[i]] = 1; n++; } } return n; },
    },
    {
      name: 'groupBy country x namespace, page LIKE', goal: 'half', kind: 'groupBy',
      nemeton: `SELECT countryName, namespace, COUNT(*) FROM wikipedia WHERE page LIKE 'A%' GROUP BY 1, 2`,
      duckdb: `SELECT countryName, namespace, COUNT(*) FROM wikipedia WHERE page LIKE 'A%' GROUP BY 1, 2`,
      postgres: `SELECT "countryName", namespace, COUNT(*) FROM wikipedia WHERE page LIKE 'A%' GROUP BY 1, 2`,
      sqlite: `SELECT countryName, namespace, COUNT(*) FROM wikipedia WHERE page LIKE 'A%' GROUP BY 1, 2`,
      loop: (x) => {
        const p = x.dims.page, match = new Uint8Array(p.dictionary.length);
        for (let j = 0; j < match.length; j++) match[j] = p.dictionary[j]?.startsWith('A') ? 1 : 0;
        const cn = x.dims.countryName.ids, ns = x.dims.namespace.ids, nsCard = x.dims.namespace.dictionary.length;
        const counts = new Int32Array(x.dims.countryName.dictionary.length * nsCard);
        for (let i = 0; i < p.ids.length; i++) if (match[p.ids[i]]) counts[cn[i] * nsCard + ns[i]]++;
        let groups = 0; for (let k = 0; k < counts.length; k++) if (counts[k]) groups++;
        return groups;
      },
    },
    {
      name: 'hourly sum, user IN (5 values)', goal: 'half', kind: 'groupBy',
      nemeton: `SELECT TIME_FLOOR(__time, 'PT1H') AS h, SUM(added) FROM wikipedia WHERE "user" IN (${inList}) GROUP BY 1`,
      duckdb: `SELECT date_trunc('hour', __time) AS h, SUM(added) FROM wikipedia WHERE "user" IN (${inList}) GROUP BY 1`,
      postgres: `SELECT date_trunc('hour', __time) AS h, SUM(added) FROM wikipedia WHERE "user" IN (${inList}) GROUP BY 1`,
      sqlite: `SELECT __time / ${HOUR} AS h, SUM(added) FROM wikipedia WHERE user IN (${inList}) GROUP BY 1`,
      loop: (x) => {
        const u = x.dims.user, match = new Uint8Array(u.dictionary.length);
        for (const v of topUsers) match[u.idOf.get(v) ?? 0] = 1;
        const a = x.metrics.added, t = x.time, sums = new Float64Array(x.days * 24);
        for (let i = 0; i < a.length; i++) if (match[u.ids[i]]) sums[Math.floor((t[i] - x.dayStart) / HOUR)] += a[i];
        return sums.length;
      },
    },
  ];
}

/** The 13 Star Schema Benchmark queries (same text in every dialect). */
export function ssbQueries(): BenchQuery[] {
  return SSB_QUERIES.map((q) => ({ name: `SSB ${q.name}`, kind: 'ssb' as const, goal: 'par' as const, nemeton: q.sql, duckdb: q.sql, postgres: q.sql, sqlite: q.sql }));
}
