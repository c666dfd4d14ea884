/** Writes a benchmark report into the README's "## Performance" section (only that section). */
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the text from "## Performance" up to the next "## " heading (or
 * appends the section) with `body`, a chart link and the command.
 */
export function updateReadmeSection(readmePath: string, body: string, command: string): void {
  const text = readFileSync(readmePath, 'utf8');
  const section = `## Performance\n\n${body}\n\n![Nemeton time ÷ peer time](bench/results/latest.svg)\n\nReproduce with \`${command}\` (\`npm run bench\` for the quick run, \`npm run bench -- --full\` for 10M rows and SSB at scale factor 1).\n\n`;
  const start = text.indexOf('\n## Performance\n');
  if (start < 0) { writeFileSync(readmePath, `${text.trimEnd()}\n\n${section.trimEnd()}\n`); return; }
  const next = text.indexOf('\n## ', start + 1);
  writeFileSync(readmePath, text.slice(0, start + 1) + (next < 0 ? section.trimEnd() + '\n' : section + text.slice(next + 1)));
}
