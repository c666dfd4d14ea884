import { existsSync } from 'node:fs';
import { join } from 'node:path';

let javaFound: boolean | undefined;
/** True when a java executable is available ($JAVA_HOME/bin/java or on PATH); cached. */
export function hasJava(): boolean {
  if (javaFound === undefined) {
    const home = process.env.JAVA_HOME;
    javaFound =
      (home !== undefined && existsSync(join(home, 'bin', 'java'))) ||
      (process.env.PATH ?? '').split(':').some((d) => d !== '' && existsSync(join(d, 'java')));
  }
  return javaFound;
}

/** The java executable: $JAVA_HOME/bin/java when set, else `java` from PATH. */
export function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  return home && existsSync(join(home, 'bin', 'java')) ? join(home, 'bin', 'java') : 'java';
}
