/** Types for scripts/check-leaks.mjs, so tests can import it. */
export interface LeakedServer {
  pid: number;
  ppid: number;
  command: string;
}
export declare function findLeakedServers(procRoot?: string, tmp?: string): LeakedServer[];
