/** What the benchmark's driver asks a worker process to run, and what the worker answers. */

export interface SmscTarget {
  host: string;
  port: number;
  systemId: string;
  password: string;
}

export type CaseName = 'raw-naive' | 'raw-window' | 'node-send' | 'node-dlr' | 'node-mo' | 'scale' | 'paced' | 'memory' | 'soak';

export interface Job {
  case: CaseName;
  smsc: SmscTarget;
  window: number;
  /** messages measured (for scale: the largest run) */
  count: number;
  /** messages sent first and not measured (JIT warm-up) */
  warmup: number;
  /** node cases: messages kept in flight from input to output */
  inFlight: number;
  /** paced: messages per second; soak: seconds */
  rate: number;
  seconds: number;
  /** scale: the run sizes */
  sizes: number[];
  /** hard limit for the whole job, ms */
  timeoutMs: number;
}

export interface CaseResult {
  case: CaseName;
  /** messages counted in the measured part */
  count: number;
  wallMs: number;
  /** messages per second */
  rate: number;
  p50Ms: number | null;
  p99Ms: number | null;
  /** CPU of the worker process during the measured part, ms */
  cpuMs: number;
  peakRssMb: number;
  /** anything case-specific, printed as notes */
  extra: Record<string, unknown>;
}

/** The line a worker prints last: RESULT followed by the JSON of a CaseResult. */
export const RESULT_PREFIX = 'RESULT ';
