/** A tiny leveled logger writing one line per event to stderr. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
let threshold: number = order[(process.env.NEMETON_LOG_LEVEL as LogLevel) ?? 'info'] ?? order.info;

export function setLogLevel(level: LogLevel): void {
  threshold = order[level];
}

function write(level: LogLevel, component: string, message: string): void {
  if (order[level] < threshold) return;
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${component}] ${message}\n`);
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function logger(component: string): Logger {
  return {
    debug: (m) => write('debug', component, m),
    info: (m) => write('info', component, m),
    warn: (m) => write('warn', component, m),
    error: (m) => write('error', component, m),
  };
}
