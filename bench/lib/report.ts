/** The benchmark report: markdown tables, JSON, and an SVG bar chart of Nemeton/peer ratios. */
import type { Timing } from './timing.ts';
import type { ConcurrencyResult } from './concurrency.ts';

export interface QueryResult {
  readonly query: string;
  readonly kind: string;
  readonly goal: 'half' | 'par';
  /** Peer name -> timing, or an error message. */
  readonly timings: Record<string, Timing | { error: string }>;
}

export interface BenchReport {
  readonly date: string;
  readonly machine: string;
  readonly cores: number;
  readonly command: string;
  readonly rows: number;
  readonly days: number;
  readonly ssbScaleFactor: number | null;
  readonly ssbRows: number;
  /**
   * Peer -> load wall time, bytes on disk, CPU time of this process during the load (DuckDB's and SQLite's
   * work included; PostgreSQL's server is another process) and this process's peak RSS once loaded.
   */
  readonly load: Record<string, { ms: number; bytes: number | null; cpuMs?: number; peakRssBytes?: number } | { error: string }>;
  readonly queries: QueryResult[];
  /** Query -> rows/s/core of Nemeton in-process (rows scanned ÷ median ÷ cores). */
  readonly scanRates: Record<string, number>;
  /** Target -> results per client count. */
  readonly concurrency: Record<string, ConcurrencyResult[] | { error: string }>;
  /** Target -> median ms to open a connection. */
  readonly connectMs: Record<string, number>;
  readonly peakRssBytes: number;
}

export const REFERENCE = 'hand-written loop (1 thread)';
export const FOCUS = 'Nemeton (in-process)';
export const WIRE = 'Nemeton (pgwire)';
export const DUCK2 = 'DuckDB (2 threads)';

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;

export function median(r: QueryResult, peer: string): number | null {
  const t = r.timings[peer];
  return t && 'median' in t ? t.median : null;
}

function ratio(r: QueryResult, a: string, b: string): number | null {
  const x = median(r, a), y = median(r, b);
  return x === null || y === null || y === 0 ? null : x / y;
}

function queryTable(queries: readonly QueryResult[], peers: readonly string[], ratioPeers: readonly string[]): string[] {
  const lines: string[] = [];
  lines.push(`| query | ${peers.join(' | ')} | ${ratioPeers.map((p) => `÷ ${p}`).join(' | ')} |`);
  lines.push(`|---|${peers.map(() => '---:').join('|')}|${ratioPeers.map(() => '---:').join('|')}|`);
  for (const q of queries) {
    const cells = peers.map((p) => { const t = q.timings[p]; return !t ? '–' : 'error' in t ? 'error' : fmt(t.median); });
    const ratios = ratioPeers.map((p) => { const r = ratio(q, FOCUS, p); return r === null ? '–' : r.toFixed(r < 0.1 ? 3 : 2); });
    lines.push(`| ${q.query} | ${cells.join(' | ')} | ${ratios.join(' | ')} |`);
  }
  return lines;
}

/** Goal lines: met / not met with the measured figures. */
export function goalLines(report: BenchReport): string[] {
  const out: string[] = [];
  const mark = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'met' : 'NOT met');
  for (const q of report.queries) {
    const limit = q.goal === 'half' ? 0.5 : 1;
    const inproc = ratio(q, FOCUS, DUCK2);
    const wire = ratio(q, WIRE, DUCK2);
    const ok = inproc === null || wire === null ? null : inproc <= limit && wire <= limit;
    out.push(`- ${q.query}: Nemeton ÷ DuckDB (2 threads) ≤ ${limit}: in-process ${inproc?.toFixed(2) ?? '–'}, pgwire ${wire?.toFixed(2) ?? '–'} — ${mark(ok)}`);
  }
  const slowPeers = ['PostgreSQL', 'SQLite'];
  const worst: string[] = [];
  let all = true;
  let any = false;
  for (const q of report.queries) {
    for (const p of slowPeers) {
      const r = ratio(q, FOCUS, p);
      if (r === null) continue;
      any = true;
      if (r > 1 / 50) { all = false; worst.push(`${q.query} vs ${p}: ${(1 / r).toFixed(1)}x`); }
    }
  }
  out.push(`- every aggregate query ≥ 50x faster than PostgreSQL and SQLite — ${mark(any ? all : null)}${worst.length > 0 ? ` (short: ${worst.join('; ')})` : ''}`);
  for (const name of ['sum of a double column', 'filtered count (channel, isRobot)']) {
    const r = report.scanRates[name];
    out.push(`- ≥ 500M rows/s/core, ${name}: ${r === undefined ? '–' : `${(r / 1e6).toFixed(0)}M`} — ${mark(r === undefined ? null : r >= 5e8)}`);
  }
  const c = report.concurrency[WIRE];
  if (c !== undefined && !('error' in c)) {
    const at8 = c.find((x) => x.clients === 8);
    out.push(`- 8 clients on the Druid mix, p99 < 100 ms: ${at8 ? `${at8.p99.toFixed(1)} ms` : '–'} (${report.rows.toLocaleString('en-US')} rows) — ${mark(at8 ? at8.p99 < 100 : null)}`);
  }
  return out;
}

export function toMarkdown(report: BenchReport, peers: readonly string[]): string {
  const lines: string[] = [];
  const ratioPeers = peers.filter((p) => p !== FOCUS);
  lines.push(`Measured ${report.date} on ${report.machine}, ${report.rows.toLocaleString('en-US')} Wikipedia-like rows over ${report.days} days${report.ssbScaleFactor !== null ? ` and SSB at scale factor ${report.ssbScaleFactor} (${report.ssbRows.toLocaleString('en-US')} rows)` : ''}, with \`${report.command}\`.`);
  lines.push(`Median milliseconds after warm-up; the ÷ columns are Nemeton (in-process) time ÷ that peer's time (below 1 = Nemeton faster). Reference row: \`${REFERENCE}\`.`);
  lines.push('');
  lines.push(...queryTable(report.queries.filter((q) => q.kind !== 'ssb'), peers, ratioPeers));
  const ssb = report.queries.filter((q) => q.kind === 'ssb');
  if (ssb.length > 0) {
    lines.push('');
    lines.push('Star Schema Benchmark (flattened lineorder):');
    lines.push('');
    const ssbPeers = peers.filter((p) => p !== REFERENCE);
    lines.push(...queryTable(ssb, ssbPeers, ssbPeers.filter((p) => p !== FOCUS)));
  }
  lines.push('');
  lines.push('Goals:');
  lines.push('');
  lines.push(...goalLines(report));
  lines.push('');
  lines.push('| load (all tables) | ms | bench process CPU ms | rows/s | bytes on disk | bench process peak RSS after |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  const loadedRows = report.rows + report.ssbRows;
  for (const [peer, l] of Object.entries(report.load)) {
    if ('error' in l) { lines.push(`| ${peer} | error: ${l.error} | | | | |`); continue; }
    const rate = l.ms > 0 ? Math.round(loadedRows / (l.ms / 1000)).toLocaleString('en-US') : '';
    lines.push(`| ${peer} | ${fmt(l.ms)} | ${l.cpuMs === undefined ? '' : fmt(l.cpuMs)} | ${rate} | ${l.bytes === null ? 'in memory' : mib(l.bytes)} | ${l.peakRssBytes === undefined ? '' : mib(l.peakRssBytes)} |`);
  }
  const conc = Object.entries(report.concurrency);
  if (conc.length > 0) {
    lines.push('');
    lines.push('Druid mix through pgbench (30% filtered aggregates, 60% ordered group-bys, 10% search/metadata):');
    lines.push('');
    lines.push('| target | clients | tps | p50 ms | p99 ms | failed |');
    lines.push('|---|---:|---:|---:|---:|---:|');
    for (const [target, rs] of conc) {
      if ('error' in rs) { lines.push(`| ${target} | error: ${rs.error} | | | | |`); continue; }
      for (const r of rs) lines.push(`| ${target} | ${r.clients} | ${r.tps.toFixed(1)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.failed} |`);
    }
  }
  lines.push('');
  lines.push(`Connection set-up (median): ${Object.entries(report.connectMs).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join('; ') || '–'}.`);
  lines.push(`Scan rates (Nemeton in-process, rows/s/core over ${report.cores} cores): ${Object.entries(report.scanRates).map(([k, v]) => `${k}: ${(v / 1e6).toFixed(0)}M`).join('; ')}.`);
  lines.push(`Peak RSS of the benchmark process (Nemeton, DuckDB and SQLite in one process): ${(report.peakRssBytes / 2 ** 20).toFixed(0)} MiB.`);
  return lines.join('\n');
}

/** Horizontal bars of log2(Nemeton/peer) per query and peer; left of the axis = Nemeton faster. */
export function toSvg(report: BenchReport, peers: readonly string[]): string {
  const rows = report.queries.flatMap((q) => peers.filter((p) => p !== FOCUS && (q.kind !== 'ssb' || p !== REFERENCE)).map((p) => ({ label: `${q.query} ÷ ${p}`, ratio: ratio(q, FOCUS, p) })));
  const w = 900, rowH = 18, left = 360, mid = left + (w - left) / 2, scale = (w - left) / 2 / 8;
  const h = rows.length * rowH + 40;
  const bars = rows.map((r, i) => {
    const y = 30 + i * rowH;
    if (r.ratio === null) return `<text x="4" y="${y + 12}" font-size="11">${escape(r.label)}</text><text x="${mid + 4}" y="${y + 12}" font-size="11">n/a</text>`;
    const v = Math.max(-8, Math.min(8, Math.log2(r.ratio)));
    const x = v < 0 ? mid + v * scale : mid;
    const color = v < 0 ? '#2e8b57' : '#c0392b';
    return `<text x="4" y="${y + 12}" font-size="11">${escape(r.label)}</text><rect x="${x}" y="${y + 2}" width="${Math.abs(v) * scale}" height="${rowH - 4}" fill="${color}"/><text x="${v < 0 ? x - 44 : x + Math.abs(v) * scale + 4}" y="${y + 12}" font-size="10">${r.ratio.toFixed(r.ratio < 0.1 ? 3 : 2)}x</text>`;
  }).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif">
<text x="4" y="16" font-size="13">Nemeton (in-process) time ÷ peer time, log scale (green: Nemeton faster)</text>
<line x1="${mid}" y1="24" x2="${mid}" y2="${h}" stroke="#888"/>
${bars}
</svg>
`;
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
