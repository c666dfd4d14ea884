/**
 * The ingesting side of the crash test, run as a child process:
 *   node --import tsx crash-child.ts <dataDir> <bootstrap> <topic> <expectedEvents|0>
 * Starts the supervisors persisted in <dataDir> (creating the test's one on first run) with 1-second
 * task durations, so hand-offs happen all the time. With expectedEvents > 0 it exits (after a clean
 * stop) once the committed offsets cover that many events; otherwise it runs until killed.
 */
import { storedOffsets } from '../../cluster/kafka/kafka-offsets.ts';
import { kafkaSpec, openStack } from './fixtures.ts';

const [dir, bootstrap, topic, expectedText] = process.argv.slice(2);
const expected = Number(expectedText);
const stack = await openStack(dir);
await stack.manager.start();
if (stack.manager.ids().length === 0) {
  await stack.manager.submit(kafkaSpec('crash', topic, bootstrap, { io: { taskCount: 2, taskDuration: 'PT0.5S' }, tuning: { maxRowsInMemory: 150 } }));
}
process.stdout.write('started\n');
if (expected > 0) {
  for (;;) {
    const committed = storedOffsets(await stack.metadata.commitMetadata('crash'), topic);
    if ([...committed.values()].reduce((a, b) => a + b, 0) >= expected) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stack.close();
  process.stdout.write('drained\n');
  process.exit(0);
}
