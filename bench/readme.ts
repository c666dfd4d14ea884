/**
 * `node --import tsx bench/readme.ts [results.json]` — renders a saved
 * benchmark report (default bench/results/latest.json) into the README's
 * Performance section.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FOCUS, REFERENCE, toMarkdown, type BenchReport } from './lib/report.ts';
import { updateReadmeSection } from './lib/readme.ts';

const path = process.argv[2] ?? join(import.meta.dirname, 'results', 'latest.json');
const report = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
const seen = new Set<string>([REFERENCE, FOCUS]);
for (const q of report.queries) for (const k of Object.keys(q.timings)) seen.add(k);
updateReadmeSection(join(import.meta.dirname, '..', 'README.md'), toMarkdown(report, [...seen]), report.command);
process.stdout.write(`README Performance section updated from ${path}\n`);
