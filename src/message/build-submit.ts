/**
 * From what a flow gives smpp-send (payload, to, from, msg.smpp) and the
 * gateway's defaults, the PDUs to send: encoded with an explicit data_coding,
 * split per the gateway's splitting and concatenation modes, addressed with
 * TON/NPI. Or an error that names the field. Pure: the caller supplies the
 * concatenation reference.
 */
import type { GatewayConfig } from '../config/gateway-config';
import { encodeText, segmentMessage, quoteValue } from '../text';
import { autoTonNpi, checkDestination, checkSender, matchesPrefix, parsePrefixes } from './addresses';
import { checkSmppFields } from './smpp-fields';

export interface SendInput {
  payload: unknown;
  to: unknown;
  /** msg.from, else the node's sender, else the gateway's default */
  from?: unknown;
  nodeFrom?: string;
  smpp?: unknown;
}

export interface BuiltMessage {
  ok: true;
  command: 'submit_sm' | 'data_sm';
  /** one field set per PDU, in order */
  pdus: Record<string, unknown>[];
  dataCoding: number;
  destination: string;
  source: string;
}

export type BuildResult = BuiltMessage | { ok: false; error: string };

/** SMPP short_message holds at most 254 octets; longer content goes in message_payload */
const MAX_SHORT_MESSAGE = 254;
const UDHI = 0x40;

const FORMAT_OF: Record<GatewayConfig['messageFormat'], string> = {
  ascii: 'ascii',
  binary: 'binary',
  ucs2: 'ucs2',
  gsm7: 'gsm7',
  latin1: 'latin1',
  auto: 'auto',
};

export function buildSubmit(input: SendInput, config: GatewayConfig, nextRef: () => number): BuildResult {
  const { payload } = input;
  if (payload === undefined || payload === null || payload === '' || (Buffer.isBuffer(payload) && payload.length === 0)) {
    return { ok: false, error: 'msg.payload is empty: give the text (a string) or the binary content (a Buffer)' };
  }
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
    return { ok: false, error: `msg.payload must be a string or a Buffer; got ${Array.isArray(payload) ? 'an array' : typeof payload}` };
  }

  const dest = checkDestination(input.to, 'msg.to');
  if (!dest.ok) return dest;

  const senderRaw = nonEmpty(input.from) ?? nonEmpty(input.nodeFrom) ?? nonEmpty(config.defaultSenderId);
  const senderWhere = nonEmpty(input.from) !== undefined ? 'msg.from' : nonEmpty(input.nodeFrom) !== undefined ? "the node's sender" : 'the gateway\'s Default sender ID';
  let source = '';
  let sourceKind: Parameters<typeof autoTonNpi>[0] = 'number';
  if (senderRaw !== undefined) {
    const src = checkSender(senderRaw, senderWhere);
    if (!src.ok) return src;
    source = src.address;
    sourceKind = src.kind;
    const prefixes = parsePrefixes(config.senderIdPrefix);
    if (!matchesPrefix(src.address, src.kind === 'international', prefixes)) {
      return { ok: false, error: `${senderWhere} ${quoteValue(String(senderRaw))} is not allowed: the number after its country code must start with one of ${prefixes.join(';')} (Sender ID Prefix)` };
    }
  }

  const fields = checkSmppFields(input.smpp);
  if (!fields.ok) return fields;
  const o = fields.mandatory;

  const format = o.data_coding !== undefined ? (o.data_coding as number) : Buffer.isBuffer(payload) && config.messageFormat !== 'binary' && config.messageFormat !== 'auto' ? 'binary' : FORMAT_OF[config.messageFormat];
  const enc = encodeText(payload, format);
  if (!enc.ok) return { ok: false, error: `msg.payload: ${enc.error}` };

  const command = config.pduType;
  const split = segmentMessage(enc.bytes, enc.unit, {
    mode: config.splitMode,
    maxContentLength: config.maxContentLength,
    concat: config.concatMode,
    udhRefBits: config.udhReference === '16' ? 16 : 8,
    sarFullParts: config.sarFullParts,
    ref: config.splitMode === 'concatenated' ? nextRef() : 0,
  });
  if (!split.ok) return { ok: false, error: `msg.payload: ${split.error}` };

  const srcAuto = autoTonNpi(sourceKind);
  const dstAuto = autoTonNpi(dest.kind);
  const base: Record<string, unknown> = {
    service_type: o.service_type ?? config.serviceType,
    source_addr_ton: o.source_addr_ton ?? (config.sourceAddrTon === 'auto' ? srcAuto.ton : config.sourceAddrTon),
    source_addr_npi: o.source_addr_npi ?? (config.sourceAddrNpi === 'auto' ? srcAuto.npi : config.sourceAddrNpi),
    source_addr: source,
    dest_addr_ton: o.dest_addr_ton ?? (config.destAddrTon === 'auto' ? dstAuto.ton : config.destAddrTon),
    dest_addr_npi: o.dest_addr_npi ?? (config.destAddrNpi === 'auto' ? dstAuto.npi : config.destAddrNpi),
    destination_addr: dest.address,
    registered_delivery: o.registered_delivery ?? Number(config.registeredDelivery),
    data_coding: enc.dataCoding,
  };
  if (command === 'submit_sm') {
    base.protocol_id = o.protocol_id ?? config.protocolId;
    base.priority_flag = o.priority_flag ?? 0;
    base.schedule_delivery_time = o.schedule_delivery_time ?? '';
    base.validity_period = o.validity_period ?? '';
    base.replace_if_present_flag = o.replace_if_present_flag ?? Number(config.replaceIfPresent);
    base.sm_default_msg_id = o.sm_default_msg_id ?? config.smDefaultMsgId;
  } else {
    for (const k of ['protocol_id', 'priority_flag', 'schedule_delivery_time', 'validity_period', 'replace_if_present_flag', 'sm_default_msg_id']) {
      if (o[k] !== undefined) return { ok: false, error: `msg.smpp.${k} is not a field of data_sm (SMPP PDU Type is data_sm)` };
    }
  }
  const esmBase = (o.esm_class as number | undefined) ?? config.esmClass;

  const pdus = split.parts.map((part) => {
    const f: Record<string, unknown> = Object.assign({}, base, fields.tlvs);
    f.esm_class = part.esmClassUdhi ? esmBase | UDHI : esmBase;
    if (command === 'data_sm' || part.shortMessage.length > MAX_SHORT_MESSAGE) {
      if (command === 'submit_sm') f.short_message = Buffer.alloc(0);
      f.message_payload = part.shortMessage;
    } else {
      f.short_message = part.shortMessage;
    }
    if (part.sar) {
      f.sar_msg_ref_num = part.sar.ref;
      f.sar_total_segments = part.sar.total;
      f.sar_segment_seqnum = part.sar.seq;
    }
    return f;
  });

  return { ok: true, command, pdus, dataCoding: enc.dataCoding, destination: dest.address, source };
}

function nonEmpty(v: unknown): unknown {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.trim() === '') return undefined;
  return v;
}
