/**
 * Text for following a batch task from a terminal (`nemeton ingest`): a
 * one-line progress bar (redrawn in place on a terminal, plain lines
 * otherwise) and the summary of a Druid task report.
 */

/** What the progress line shows. */
export interface IngestProgressSnapshot {
  readonly phase: string;
  readonly rowsRead: number;
  readonly bytesRead: number;
  /** 0 when unknown. */
  readonly totalBytes: number;
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(1);
}

/** One progress line: bar and % (when the total is known), rows, MB, rows/s. */
export function progressLine(p: IngestProgressSnapshot, elapsedMs: number, width = 30): string {
  const rate = elapsedMs > 0 ? Math.round(p.rowsRead / (elapsedMs / 1000)) : 0;
  const parts: string[] = [];
  if (p.totalBytes > 0) {
    const frac = Math.min(1, p.bytesRead / p.totalBytes);
    const filled = Math.round(frac * width);
    parts.push(`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}%`);
  }
  parts.push(`${p.rowsRead.toLocaleString('en')} rows`);
  parts.push(p.totalBytes > 0 ? `${mb(p.bytesRead)}/${mb(p.totalBytes)} MB` : `${mb(p.bytesRead)} MB`);
  parts.push(`${rate.toLocaleString('en')} rows/s`);
  parts.push(p.phase);
  return parts.join('  ');
}

/** Writes progress to a stream: redraws one line on a TTY, else prints a plain line at most every `plainEveryMs`. */
export class ProgressPrinter {
  private readonly started = Date.now();
  private lastPlain = -Infinity;
  private lastPhase = '';
  private drawn = false;

  constructor(private readonly out: NodeJS.WritableStream & { isTTY?: boolean }, private readonly plainEveryMs = 2000) {}

  /** Shows the snapshot (plain mode prints when the phase changed or enough time passed). */
  update(p: IngestProgressSnapshot): void {
    const elapsed = Date.now() - this.started;
    const line = progressLine(p, elapsed);
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${line}`);
      this.drawn = true;
      return;
    }
    if (p.phase !== this.lastPhase || elapsed - this.lastPlain >= this.plainEveryMs) {
      this.out.write(`${line}\n`);
      this.lastPlain = elapsed;
      this.lastPhase = p.phase;
    }
  }

  /** Ends the in-place line (TTY). */
  finish(): void {
    if (this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}

interface ReportPayload {
  ingestionState?: string;
  rowStats?: { buildSegments?: Record<string, number> };
  unparseableEvents?: { buildSegments?: unknown[] };
  errorMsg?: string | null;
  segmentsPublished?: number;
}

/** The payload of a Druid task report ({ingestionStatsAndErrors: {payload}}), or an empty one. */
export function reportPayload(report: unknown): ReportPayload {
  const r = report as { ingestionStatsAndErrors?: { payload?: ReportPayload } } | null;
  return r?.ingestionStatsAndErrors?.payload ?? {};
}

/** Human-readable summary: status, row counts, segments and the first parse errors with their reasons. */
export function reportSummary(taskId: string, status: string, report: unknown, elapsedMs: number, maxErrors = 10): string {
  const p = reportPayload(report);
  const s = p.rowStats?.buildSegments ?? {};
  const n = (k: string) => (s[k] ?? 0).toLocaleString('en');
  const lines = [
    `Task ${taskId}: ${status} in ${(elapsedMs / 1000).toFixed(1)} s`,
    `  processed: ${n('processed')}  processedWithError: ${n('processedWithError')}  unparseable: ${n('unparseable')}  thrownAway: ${n('thrownAway')}  processedBytes: ${n('processedBytes')}`,
  ];
  if (p.segmentsPublished !== undefined) lines.push(`  segments published: ${p.segmentsPublished}`);
  const errs = p.unparseableEvents?.buildSegments ?? [];
  if (errs.length > 0) {
    lines.push(`  first parse errors (${errs.length} saved):`);
    for (const e of errs.slice(0, maxErrors)) {
      if (typeof e === 'string') lines.push(`    - ${e}`);
      else {
        const o = e as { errorType?: string; details?: unknown; input?: string };
        const details = Array.isArray(o.details) ? o.details.join('; ') : String(o.details ?? '');
        lines.push(`    - [${o.errorType ?? 'unparseable'}] ${details}`);
      }
    }
  }
  if (p.errorMsg) lines.push(`  error: ${p.errorMsg}`);
  return `${lines.join('\n')}\n`;
}
