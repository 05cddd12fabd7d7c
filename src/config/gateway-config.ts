/**
 * Turns a raw smpp-gateway configuration (strings and numbers as the editor
 * saves them) into a typed GatewayConfig, or a list of errors that name the
 * parameter, its page name and the rule broken. Pure.
 */
import { PARAMETERS, Param } from './parameters';
import { quoteValue } from '../text/quote';

export type BindMode = 'transceiver' | 'receiver' | 'transmitter';
export type SplitMode = 'disabled' | 'none' | 'physical' | 'concatenated';
export type MessageFormat = 'ascii' | 'binary' | 'ucs2' | 'gsm7' | 'latin1' | 'auto';
export type AddrValue = number | 'auto';

export interface GatewayConfig {
  host: string;
  port: number;
  tls: boolean;
  tlsVerify: boolean;
  bindMode: BindMode;
  pduType: 'submit_sm' | 'data_sm';
  senderIdPrefix: string;
  acceptedNumberPrefix: string;
  defaultSenderId: string;
  clientPort: number;
  upstreamPort: number;
  heartbeatInterval: number;
  maxHeartbeatMisses: number;
  resendTimes: number;
  resendWait: number;
  receiveTimeout: number;
  maxErrorPackets: number;
  windowSize: number;
  transactionTimeout: number;
  maxMessageLength: number;
  splitMode: SplitMode;
  maxContentLength: number;
  minSendThreads: number;
  maxSendThreads: number;
  sendQueueLength: number;
  minReceiveThreads: number;
  maxReceiveThreads: number;
  receiveQueueLength: number;
  maxReceiveRate: number | null;
  maxSendRate: number | null;
  trafficPolicy: '' | 'delay' | 'reject';
  concatMode: 'udh' | 'sar';
  udhReference: '8' | '16';
  sarFullParts: boolean;
  systemType: string;
  interfaceVersion: number;
  addrTon: number;
  addrNpi: number;
  addressRange: string;
  serviceType: string;
  sourceAddrTon: AddrValue;
  sourceAddrNpi: AddrValue;
  destAddrTon: AddrValue;
  destAddrNpi: AddrValue;
  esmClass: number;
  messageFormat: MessageFormat;
  protocolId: number;
  registeredDelivery: '0' | '1' | '2';
  replaceIfPresent: '0' | '1';
  smDefaultMsgId: number;
  connectTimeout: number;
  bindTimeout: number;
  reconnectMin: number;
  reconnectMax: number;
  inflightOnDrop: 'fail' | 'resend';
  drainTimeout: number;
  links: number;
  bindSplit: boolean;
  tlsCaFile: string;
  tlsPin: string;
  concatWait: number;
  ackMo: 'handled' | 'arrival';
  ackTimeLimit: number;
  ackErrorStatus: string;
  correlationStore: string;
  correlationTtl: number;
  correlationMax: number;
  messageIdForm: 'auto' | 'exact' | 'receipt-decimal' | 'receipt-hex';
  receiptGrace: number;
  acceptedIsFinal: boolean;
  shareInstances: boolean;
}

export interface ConfigResult {
  config: GatewayConfig | null;
  errors: string[];
}

function label(p: Param): string {
  return p.page ? `${p.key} (${p.page})` : p.key;
}

const INT_RE = /^-?\d+$/;

function readInt(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isInteger(raw) ? raw : null;
  if (typeof raw === 'string' && INT_RE.test(raw.trim())) return Number(raw.trim());
  return null;
}

/** Checks one parameter; returns its typed value, or pushes an error and returns undefined. */
function readParam(p: Param, raw: unknown, errors: string[]): unknown {
  const given = raw !== undefined && raw !== null && raw !== '';
  switch (p.type) {
    case 'int': {
      if (!given) return p.default;
      const n = readInt(raw);
      if (n === null || n < p.min || n > p.max) {
        errors.push(`${label(p)} must be a whole number from ${p.min} to ${p.max}${p.unit ? ' ' + p.unit : ''}; got ${quoteValue(raw)}`);
        return undefined;
      }
      return n;
    }
    case 'optint': {
      if (!given) return null;
      const n = readInt(raw);
      if (n === null || n < p.min || n > p.max) {
        errors.push(`${label(p)} must be empty or a whole number from ${p.min} to ${p.max}; got ${quoteValue(raw)}`);
        return undefined;
      }
      return n;
    }
    case 'enum': {
      if (!given) return p.default;
      let v = String(raw);
      // the page codes the traffic policy as a positive integer
      if (p.key === 'trafficPolicy' && (v === '1' || v === '2')) v = v === '1' ? 'delay' : 'reject';
      if (!p.options.includes(v)) {
        errors.push(`${label(p)} must be one of ${p.options.filter((o) => o !== '').join(', ')}; got ${quoteValue(raw)}`);
        return undefined;
      }
      return v;
    }
    case 'string': {
      if (!given) {
        // a missing key takes the default; a required one left empty is an error
        if (p.required && (raw !== undefined || p.default === '')) {
          errors.push(`${label(p)} is required`);
          return undefined;
        }
        return p.default;
      }
      if (typeof raw !== 'string') {
        errors.push(`${label(p)} must be text; got ${typeof raw}`);
        return undefined;
      }
      const v = raw.trim();
      if (v.length > p.maxLength) {
        errors.push(`${label(p)} is ${v.length} characters; at most ${p.maxLength} are allowed`);
        return undefined;
      }
      if (p.pattern && v !== '' && !new RegExp(`^(?:${p.pattern})$`).test(v)) {
        errors.push(`${label(p)} must be ${p.patternText}; got ${quoteValue(v)}`);
        return undefined;
      }
      if (p.required && v === '') {
        errors.push(`${label(p)} is required`);
        return undefined;
      }
      return v;
    }
    case 'bool': {
      if (!given) return p.default;
      if (raw === true || raw === 'true') return true;
      if (raw === false || raw === 'false') return false;
      errors.push(`${label(p)} must be true or false; got ${quoteValue(raw)}`);
      return undefined;
    }
    case 'addr': {
      if (!given) return p.default;
      if (raw === 'auto') return 'auto';
      const n = readInt(raw);
      if (n === null || n < p.min || n > p.max) {
        errors.push(`${label(p)} must be auto or a whole number from ${p.min} to ${p.max}; got ${quoteValue(raw)}`);
        return undefined;
      }
      return n;
    }
  }
}

/** Rules that tie several parameters together (the page's and ours). */
export function crossFieldErrors(c: Partial<GatewayConfig>): string[] {
  const errors: string[] = [];
  const { transactionTimeout: tt, heartbeatInterval: hb, receiveTimeout: rt } = c;
  if (tt !== undefined && hb !== undefined && !(tt < hb)) {
    errors.push(`transactionTimeout (Transaction Timeout Interval) ${tt} ms must be less than heartbeatInterval (Heartbeat Interval) ${hb} ms`);
  }
  if (hb !== undefined && rt !== undefined && !(hb < rt)) {
    errors.push(`heartbeatInterval (Heartbeat Interval) ${hb} ms must be less than receiveTimeout (Receiving Timeout Interval) ${rt} ms`);
  }
  if (tt !== undefined && rt !== undefined && !(tt < rt)) {
    errors.push(`transactionTimeout (Transaction Timeout Interval) ${tt} ms must be less than receiveTimeout (Receiving Timeout Interval) ${rt} ms`);
  }
  const rates = [c.maxReceiveRate, c.maxSendRate, c.trafficPolicy];
  const set = rates.filter((v) => v !== null && v !== undefined && v !== '').length;
  if (set !== 0 && set !== 3) {
    errors.push('maxReceiveRate (Max Receiving Rate), maxSendRate (Max Sending Rate) and trafficPolicy (Extra Traffic Processing Policy) must be all empty or all set');
  }
  if (c.minSendThreads !== undefined && c.maxSendThreads !== undefined && c.minSendThreads > c.maxSendThreads) {
    errors.push('minSendThreads (Min Sending Thread Pools) must not exceed maxSendThreads (Max Sending Thread Pools)');
  }
  if (c.minReceiveThreads !== undefined && c.maxReceiveThreads !== undefined && c.minReceiveThreads > c.maxReceiveThreads) {
    errors.push('minReceiveThreads (Min Receiving Thread Pools) must not exceed maxReceiveThreads (Max Receiving Thread Pools)');
  }
  if (c.reconnectMin !== undefined && c.reconnectMax !== undefined && c.reconnectMin > c.reconnectMax) {
    errors.push('reconnectMin must not exceed reconnectMax');
  }
  if (c.maxContentLength !== undefined && c.maxMessageLength !== undefined && c.maxContentLength > c.maxMessageLength) {
    errors.push(`maxContentLength (Max Content Length) ${c.maxContentLength} must not exceed maxMessageLength (Max Message Length) ${c.maxMessageLength}`);
  }
  return errors;
}

export function parseGatewayConfig(raw: Record<string, unknown>): ConfigResult {
  const errors: string[] = [];
  const out: Record<string, unknown> = {};
  for (const p of PARAMETERS) {
    // shareInstances was called shareSendRate (it shared the rate only): a flow that has the old key keeps it
    const given = p.key === 'shareInstances' && raw.shareInstances === undefined ? raw.shareSendRate : raw[p.key];
    const v = readParam(p, given, errors);
    if (v !== undefined) out[p.key] = v;
  }
  errors.push(...crossFieldErrors(out as Partial<GatewayConfig>));
  return { config: errors.length ? null : (out as unknown as GatewayConfig), errors };
}
