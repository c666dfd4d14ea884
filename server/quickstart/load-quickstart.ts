/**
 * First-run loading of the quickstart's `wikipedia` data source: generated
 * rows, built into segments and published, with a progress line on stderr.
 * A later start finds the data source in the metadata store and skips this.
 */
import type { RunningNode } from '../node.ts';
import { generateWikipedia, wikipediaSchema } from './wikipedia-sample.ts';
import type { ProgressListener } from '../../cluster/ingestion/ingestion-service.ts';

function stderrProgress(total: number): ProgressListener {
  const started = Date.now();
  const tty = process.stderr.isTTY;
  let last = 0;
  return (phase, rows) => {
    const now = Date.now();
    if (phase !== 'done' && now - last < 200) return;
    last = now;
    const pct = total > 0 ? Math.floor((rows / total) * 100) : 100;
    const width = 30;
    const filled = Math.round((pct / 100) * width);
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const line = `quickstart: [${bar}] ${pct}% ${phase} ${rows.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} rows (${((now - started) / 1000).toFixed(1)}s)`;
    if (tty) process.stderr.write(`\r${line}${phase === 'done' ? '\n' : ''}`);
    else if (phase === 'done' || phase === 'building' || phase === 'publishing') process.stderr.write(`${line}\n`);
  };
}

/** Generates and loads `rows` sample rows unless `wikipedia` already exists. Returns the rows loaded (0 when skipped). */
export async function loadQuickstartSample(node: RunningNode, rows: number, progress?: ProgressListener): Promise<number> {
  if (node.segments.dataSources().includes('wikipedia')) {
    process.stderr.write('quickstart: data source [wikipedia] already loaded\n');
    return 0;
  }
  const onProgress = progress ?? stderrProgress(rows);
  const generated = (function* () {
    let i = 0;
    for (const r of generateWikipedia({ rows })) {
      if (++i % 20_000 === 0) onProgress('reading', i, rows);
      yield r;
    }
  })();
  const result = await node.ingestion.ingestRows(wikipediaSchema(), generated, { onProgress, total: rows });
  return result.rows;
}
