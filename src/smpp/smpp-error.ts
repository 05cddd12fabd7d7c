import { isRetriable, statusName } from './command-status';

/**
 * Why a request did not succeed. `code` is an SMPP command_status when the
 * SMSC answered, or one of our local codes (negative) when it did not.
 */
export const LOCAL = {
  /** no response within Transaction Timeout */
  TIMEOUT: -1,
  /** the link dropped while the request was outstanding: the SMSC may or may not have it */
  LINK_DOWN: -2,
  /** the bounded queue in front of the window is full */
  QUEUE_FULL: -3,
  /** the gateway is closing, disconnected by the operator, or misconfigured */
  NOT_RUNNING: -4,
  /** over Max Sending Rate with the reject policy */
  RATE_LIMITED: -5,
  /** refused before sending: the request itself is wrong */
  INVALID: -6,
  /** the PDU would exceed Max Message Length */
  TOO_LONG: -7,
  /** accepted, but the final delivery report says it was not delivered */
  UNDELIVERED: -8,
} as const;

const LOCAL_NAMES: Record<number, string> = {
  [-1]: 'TIMEOUT',
  [-2]: 'LINK_DOWN',
  [-3]: 'QUEUE_FULL',
  [-4]: 'NOT_RUNNING',
  [-5]: 'RATE_LIMITED',
  [-6]: 'INVALID',
  [-7]: 'TOO_LONG',
  [-8]: 'UNDELIVERED',
};

const LOCAL_RETRIABLE = new Set<number>([LOCAL.TIMEOUT, LOCAL.LINK_DOWN, LOCAL.QUEUE_FULL, LOCAL.NOT_RUNNING, LOCAL.RATE_LIMITED]);

export class SmppError extends Error {
  readonly code: number;
  readonly status: string;
  readonly retriable: boolean;

  constructor(code: number, message: string) {
    super(message);
    this.name = 'SmppError';
    this.code = code;
    this.status = code < 0 ? LOCAL_NAMES[code] ?? 'ERROR' : statusName(code);
    this.retriable = code < 0 ? LOCAL_RETRIABLE.has(code) : isRetriable(code);
  }

  static fromStatus(status: number, command: string): SmppError {
    return new SmppError(status, `${command} refused by the SMSC: ${statusName(status)} (0x${status.toString(16).padStart(2, '0')})`);
  }

  toJSON(): { message: string; code: number; status: string; retriable: boolean } {
    return { message: this.message, code: this.code, status: this.status, retriable: this.retriable };
  }
}
