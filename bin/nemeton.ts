/** Entry point of the `nemeton` command (run through tsx, or compiled to dist/bin/nemeton.js by scripts/build.mjs). */
import { asNemetonError } from '../common/errors.ts';
import { main } from '../server/cli/main.ts';

main(process.argv.slice(2)).then(
  (code) => { if (code >= 0) process.exit(code); },
  (e: unknown) => {
    const err = asNemetonError(e);
    process.stderr.write(`nemeton: ${err.message}\n`);
    process.exit(1);
  },
);
