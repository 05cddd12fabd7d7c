/**
 * The per-message SMPP fields a flow may set in msg.smpp, named as in SMPP
 * 3.4, with their types and ranges. An unknown name or a value out of range
 * is an error that names the field. Pure.
 */
import { quoteValue } from '../text/quote';

type FieldRule =
  | { kind: 'int'; min: number; max: number }
  | { kind: 'cstring'; max: number; pattern?: RegExp; patternText?: string }
  | { kind: 'buffer'; max: number };

/** SMPP time format YYMMDDhhmmsstnnp (absolute with +/-, relative with R) */
const SMPP_TIME = /^\d{12}\d\d{2}[+\-R]$/;
const SMPP_TIME_TEXT = 'an SMPP time YYMMDDhhmmsstnnp (16 characters, ending in +, - or R)';

/** mandatory fields of submit_sm / data_sm that a flow may override */
export const MANDATORY_FIELDS: Readonly<Record<string, FieldRule>> = {
  service_type: { kind: 'cstring', max: 5 },
  source_addr_ton: { kind: 'int', min: 0, max: 255 },
  source_addr_npi: { kind: 'int', min: 0, max: 255 },
  dest_addr_ton: { kind: 'int', min: 0, max: 255 },
  dest_addr_npi: { kind: 'int', min: 0, max: 255 },
  esm_class: { kind: 'int', min: 0, max: 255 },
  protocol_id: { kind: 'int', min: 0, max: 255 },
  priority_flag: { kind: 'int', min: 0, max: 3 },
  schedule_delivery_time: { kind: 'cstring', max: 16, pattern: SMPP_TIME, patternText: SMPP_TIME_TEXT },
  validity_period: { kind: 'cstring', max: 16, pattern: SMPP_TIME, patternText: SMPP_TIME_TEXT },
  registered_delivery: { kind: 'int', min: 0, max: 255 },
  replace_if_present_flag: { kind: 'int', min: 0, max: 1 },
  data_coding: { kind: 'int', min: 0, max: 255 },
  sm_default_msg_id: { kind: 'int', min: 0, max: 254 },
};

/** optional parameters (TLVs) a flow may set; sar_* and message_payload are the splitter's */
export const TLV_FIELDS: Readonly<Record<string, FieldRule>> = {
  user_message_reference: { kind: 'int', min: 0, max: 0xffff },
  source_port: { kind: 'int', min: 0, max: 0xffff },
  destination_port: { kind: 'int', min: 0, max: 0xffff },
  source_addr_subunit: { kind: 'int', min: 0, max: 255 },
  dest_addr_subunit: { kind: 'int', min: 0, max: 255 },
  source_network_type: { kind: 'int', min: 0, max: 255 },
  dest_network_type: { kind: 'int', min: 0, max: 255 },
  source_bearer_type: { kind: 'int', min: 0, max: 255 },
  dest_bearer_type: { kind: 'int', min: 0, max: 255 },
  payload_type: { kind: 'int', min: 0, max: 255 },
  privacy_indicator: { kind: 'int', min: 0, max: 3 },
  callback_num: { kind: 'buffer', max: 19 },
  callback_num_pres_ind: { kind: 'int', min: 0, max: 255 },
  callback_num_atag: { kind: 'buffer', max: 65 },
  source_subaddress: { kind: 'buffer', max: 23 },
  dest_subaddress: { kind: 'buffer', max: 23 },
  user_response_code: { kind: 'int', min: 0, max: 255 },
  display_time: { kind: 'int', min: 0, max: 2 },
  sms_signal: { kind: 'int', min: 0, max: 0xffff },
  ms_validity: { kind: 'int', min: 0, max: 3 },
  ms_msg_wait_facilities: { kind: 'int', min: 0, max: 255 },
  number_of_messages: { kind: 'int', min: 0, max: 99 },
  // SMPP 3.4 has it empty; the codec (and SMPP 5.0) send one octet 0..3
  alert_on_message_delivery: { kind: 'int', min: 0, max: 3 },
  language_indicator: { kind: 'int', min: 0, max: 255 },
  its_reply_type: { kind: 'int', min: 0, max: 255 },
  its_session_info: { kind: 'int', min: 0, max: 0xffff },
  ussd_service_op: { kind: 'int', min: 0, max: 255 },
  more_messages_to_send: { kind: 'int', min: 0, max: 1 },
  qos_time_to_live: { kind: 'int', min: 0, max: 0xffffffff },
  set_dpf: { kind: 'int', min: 0, max: 1 },
};

/**
 * Where the `smpp` codec (0.5.1) departs from SMPP 3.4 for a TLV above: its
 * name (destination_port is its dest_port; under our name it would be dropped
 * without a word), its type (it writes ms_validity and its_session_info as
 * raw octets and throws on a number), or its shape (the callback_num TLVs may
 * repeat, so it wants an array and throws on one value). The TLVs handed on
 * are codec-ready.
 */
const CODEC_NAME: Readonly<Record<string, string>> = { destination_port: 'dest_port' };
const CODEC_OCTETS: Readonly<Record<string, number>> = { ms_validity: 1, its_session_info: 2 };
const CODEC_LIST = new Set(['callback_num', 'callback_num_pres_ind', 'callback_num_atag']);

function has(table: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(table, name);
}

/** output-only properties smpp-send itself writes into msg.smpp; ignored on input so a msg can be sent again */
const OUTPUT_KEYS = new Set(['messageId', 'messageIds', 'parts', 'dataCoding', 'acceptedAt', 'command', 'error']);

/** the splitter's fields: setting them by hand would break concatenation */
const RESERVED = new Set(['sar_msg_ref_num', 'sar_total_segments', 'sar_segment_seqnum', 'message_payload', 'short_message']);

export type FieldsResult = { ok: true; mandatory: Record<string, unknown>; tlvs: Record<string, unknown> } | { ok: false; error: string };

/** a short, safe description of any value for an error text (BigInt, circular objects, huge strings) */
const describe = (value: unknown): string => quoteValue(value);

function check(name: string, rule: FieldRule, value: unknown): string | null {
  const where = `msg.smpp.${name}`;
  switch (rule.kind) {
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max) {
        return `${where} must be a whole number from ${rule.min} to ${rule.max}; got ${describe(value)}`;
      }
      return null;
    case 'cstring':
      if (typeof value !== 'string') return `${where} must be text; got ${typeof value}`;
      if (value.length > rule.max) return `${where} is ${value.length} characters; SMPP allows ${rule.max}`;
      // eslint-disable-next-line no-control-regex
      if (/[^\x20-\x7e]/.test(value)) return `${where} must be printable ASCII`;
      if (rule.pattern && value !== '' && !rule.pattern.test(value)) return `${where} must be ${rule.patternText}; got ${describe(value)}`;
      return null;
    case 'buffer':
      if (!Buffer.isBuffer(value) && typeof value !== 'string') return `${where} must be a Buffer or text; got ${typeof value}`;
      if ((Buffer.isBuffer(value) ? value.length : Buffer.byteLength(value)) > rule.max) return `${where} is longer than SMPP allows (${rule.max} octets)`;
      return null;
  }
}

function codecValue(name: string, rule: FieldRule, value: unknown): unknown {
  let v = value;
  if (typeof v === 'string' && rule.kind === 'buffer') v = Buffer.from(v, 'latin1');
  if (has(CODEC_OCTETS, name) && typeof v === 'number') {
    const octets = Buffer.alloc(CODEC_OCTETS[name]);
    octets.writeUIntBE(v, 0, octets.length);
    v = octets;
  }
  return CODEC_LIST.has(name) ? [v] : v;
}

/** Checks msg.smpp; returns the mandatory-field overrides and the TLVs apart. */
export function checkSmppFields(smpp: unknown): FieldsResult {
  const mandatory: Record<string, unknown> = {};
  const tlvs: Record<string, unknown> = {};
  if (smpp === undefined || smpp === null) return { ok: true, mandatory, tlvs };
  if (typeof smpp !== 'object' || Array.isArray(smpp) || Buffer.isBuffer(smpp)) return { ok: false, error: `msg.smpp must be an object of SMPP fields; got ${Array.isArray(smpp) ? 'an array' : typeof smpp}` };
  for (const [name, value] of Object.entries(smpp as Record<string, unknown>)) {
    if (OUTPUT_KEYS.has(name) || value === undefined) continue;
    if (RESERVED.has(name)) return { ok: false, error: `msg.smpp.${name} is set by the gateway's splitter; put the text in msg.payload` };
    // own properties only: "constructor" or "__proto__" are not fields
    const m = has(MANDATORY_FIELDS, name) ? MANDATORY_FIELDS[name] : undefined;
    const t = has(TLV_FIELDS, name) ? TLV_FIELDS[name] : undefined;
    const rule = m ?? t;
    if (!rule) return { ok: false, error: `msg.smpp.${name} is not an SMPP field this gateway sends (see the smpp-send help for the list)` };
    const err = check(name, rule, value);
    if (err) return { ok: false, error: err };
    if (m) mandatory[name] = value;
    else tlvs[has(CODEC_NAME, name) ? CODEC_NAME[name] : name] = codecValue(name, rule, value);
  }
  return { ok: true, mandatory, tlvs };
}
