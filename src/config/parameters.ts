/**
 * The smpp-gateway's parameters, one row each: the single source of truth for
 * defaults, ranges, the editor dialog (injected into the .html at build time),
 * validation and the README's mapping table to the reference page
 * (shared/reference/aicc-sms-gateway-page.txt).
 *
 * Pure data: no sockets, no timers, no Node-RED.
 */

export type ParamGroup = 'basic' | 'connection' | 'protocol' | 'advanced';

export interface ParamBase {
  /** property name in the node's config (and in GatewayConfig) */
  key: string;
  /** the reference page's name for it, or '' when it is ours */
  page: string;
  group: ParamGroup;
  /** what it does, in one line (README table and editor tooltip) */
  note: string;
  /** true when the page's parameter has no meaning in Node.js: accepted, validated, no effect */
  notApplicable?: boolean;
  /** the reference page's default, when ours differs from it (then `differs` says why) */
  pageDefault?: string | number;
  /** why our default is not the page's */
  differs?: string;
}

export interface IntParam extends ParamBase {
  type: 'int';
  default: number;
  min: number;
  max: number;
  unit?: 'ms' | 'bytes' | '/s' | 'h';
}

/** an integer that may also be left empty (meaning: not set) */
export interface OptIntParam extends ParamBase {
  type: 'optint';
  default: '';
  min: number;
  max: number;
  unit?: '/s';
}

export interface EnumParam extends ParamBase {
  type: 'enum';
  default: string;
  options: readonly string[];
}

export interface StringParam extends ParamBase {
  type: 'string';
  default: string;
  maxLength: number;
  /** a regular expression (source) the whole value must match, when not empty */
  pattern?: string;
  patternText?: string;
  required?: boolean;
}

export interface BoolParam extends ParamBase {
  type: 'bool';
  default: boolean;
}

/** an address TON or NPI: 0..255, or 'auto' (decided per number) */
export interface AddrParam extends ParamBase {
  type: 'addr';
  default: number | 'auto';
  min: number;
  max: number;
}

export type Param = IntParam | OptIntParam | EnumParam | StringParam | BoolParam | AddrParam;

const TEN_DIGITS = 9_999_999_999;
const FIVE_DIGITS = 99_999;

export const PARAMETERS: readonly Param[] = [
  // ---- Basic configuration -------------------------------------------------
  { key: 'host', page: 'SMG Address', group: 'basic', type: 'string', default: '127.0.0.1', maxLength: 253, required: true,
    pattern: '[A-Za-z0-9.:\\-\\[\\]]+', patternText: 'a host name or an IP address',
    note: 'Host name or IP address of the SMSC.' },
  { key: 'port', page: 'SMG Port', group: 'basic', type: 'int', default: 2775, min: 1, max: 65535,
    note: 'TCP port of the SMSC (2775 plain, often 3550 for TLS).' },
  { key: 'tls', page: '', group: 'basic', type: 'bool', default: false,
    note: 'Connect with TLS (smpps).' },
  { key: 'tlsVerify', page: '', group: 'basic', type: 'bool', default: true,
    note: 'Verify the SMSC certificate when TLS is on (keep on in production).' },
  { key: 'bindMode', page: 'Receiving And Sending Mode', group: 'basic', type: 'enum', default: 'transceiver',
    options: ['transceiver', 'receiver', 'transmitter'],
    note: 'Send and receive = transceiver, Receive = receiver, Send = transmitter.' },
  { key: 'pduType', page: 'SMPP PDU Type', group: 'basic', type: 'enum', default: 'submit_sm', options: ['submit_sm', 'data_sm'],
    note: 'PDU used by smpp-send.' },
  { key: 'senderIdPrefix', page: 'Sender ID Prefix', group: 'basic', type: 'string', default: '', maxLength: 500,
    pattern: '[A-Za-z0-9]+(;[A-Za-z0-9]+)*;?', patternText: 'letters and digits, several separated by ;',
    note: 'Senders allowed, by prefix of the number after its country code (;-separated). Empty: any sender.' },
  { key: 'acceptedNumberPrefix', page: 'Accepted Number Prefix', group: 'basic', type: 'string', default: '', maxLength: 500,
    pattern: '[0-9]+(;[0-9]+)*;?', patternText: 'digits, several separated by ;',
    note: 'Numbers accepted for MO traffic, by prefix after the country code (;-separated). Empty: any number.' },
  { key: 'defaultSenderId', page: 'Default sender ID', group: 'basic', type: 'string', default: '', maxLength: 20,
    note: 'source_addr used when neither msg.from nor the send node names one.' },

  // ---- ESME connection configuration ----------------------------------------
  { key: 'clientPort', page: 'Client Port', group: 'connection', type: 'int', default: 0, min: 0, max: 65535,
    note: 'Local TCP port to connect from; 0 lets the system choose.' },
  { key: 'upstreamPort', page: 'Port for receiving upstream messages', group: 'connection', type: 'int', default: 0, min: 0, max: 65535,
    note: 'Port to listen on for an SMSC outbind; 0 = no listener (see README).' },
  { key: 'heartbeatInterval', page: 'Heartbeat Interval(ms)', group: 'connection', type: 'int', default: 30000, min: 1, max: TEN_DIGITS, unit: 'ms',
    note: 'enquire_link period once bound. Must be > Transaction Timeout and < Receiving Timeout.' },
  { key: 'maxHeartbeatMisses', page: 'Max Connection Times Upon No Heartbeat Response', group: 'connection', type: 'int', default: 3, min: 0, max: FIVE_DIGITS,
    note: 'Heartbeats in a row without a response before the link is dropped and rebuilt; 0 = never for this reason.' },
  { key: 'resendTimes', page: 'Resending Times', group: 'connection', type: 'int', default: 0, min: 0, max: TEN_DIGITS,
    note: 'Resends of an unanswered heartbeat, and of a message after a transient failure.' },
  { key: 'resendWait', page: 'Resending Waiting Time(ms)', group: 'connection', type: 'int', default: 0, min: 0, max: TEN_DIGITS, unit: 'ms',
    note: 'Wait before each such resend.' },
  { key: 'receiveTimeout', page: 'Receiving Timeout Interval(ms)', group: 'connection', type: 'int', default: 180000, min: 1, max: TEN_DIGITS, unit: 'ms',
    note: 'No data from the SMSC for this long: drop and rebuild the link.' },
  { key: 'maxErrorPackets', page: 'Max Error Packets Received', group: 'connection', type: 'int', default: 10, min: 0, max: TEN_DIGITS,
    note: 'Bad PDUs in a row before the link is dropped and rebuilt; 0 = never for this reason.' },
  { key: 'windowSize', page: 'Sliding Window Size', group: 'connection', type: 'int', default: 16, min: 10, max: FIVE_DIGITS,
    note: 'Requests outstanding at most (the page: 2 to 5 digits; a multiple of 16 is usual).' },
  { key: 'transactionTimeout', page: 'Transaction Timeout Interval(ms)', group: 'connection', type: 'int', default: 6000, min: 1, max: TEN_DIGITS, unit: 'ms',
    note: 'Wait for a response before the request fails as a timeout.' },
  { key: 'maxMessageLength', page: 'Max Message Length (bytes)', group: 'connection', type: 'int', default: 2048, min: 16, max: FIVE_DIGITS, unit: 'bytes',
    note: 'Largest PDU sent or accepted; a larger received PDU counts as an error packet.' },
  { key: 'splitMode', page: 'Oversized SMS Splitting Mode', group: 'connection', type: 'enum', default: 'concatenated',
    pageDefault: 'disabled', differs: 'with disabled a new gateway refuses every text over one SMS; concatenated sends any length',
    options: ['disabled', 'none', 'physical', 'concatenated'],
    note: 'disabled = refuse, none = not split (send as is), physical = independent parts, concatenated = ultra-long split.' },
  { key: 'maxContentLength', page: 'Max Content Length(bytes)', group: 'connection', type: 'int', default: 140, min: 1, max: FIVE_DIGITS, unit: 'bytes',
    note: 'Octets of content per SMS; longer content is handled by the splitting mode.' },
  { key: 'minSendThreads', page: 'Min Sending Thread Pools', group: 'connection', type: 'int', default: 20, min: 1, max: FIVE_DIGITS, notApplicable: true,
    note: 'Not applicable: Node.js sends on one event loop; concurrency is the Sliding Window Size.' },
  { key: 'maxSendThreads', page: 'Max Sending Thread Pools', group: 'connection', type: 'int', default: 200, min: 1, max: FIVE_DIGITS, notApplicable: true,
    note: 'Not applicable: Node.js sends on one event loop; concurrency is the Sliding Window Size.' },
  { key: 'sendQueueLength', page: 'Sending Thread Pool Queue Length', group: 'connection', type: 'int', default: 2000, min: 1, max: FIVE_DIGITS,
    note: 'Requests held while connecting or while the window is full; beyond it a send fails at once.' },
  { key: 'minReceiveThreads', page: 'Min Receiving Thread Pools', group: 'connection', type: 'int', default: 20, min: 1, max: FIVE_DIGITS, notApplicable: true,
    note: 'Not applicable: receipts and MOs are handled on one event loop; the bound is the receiving queue.' },
  { key: 'maxReceiveThreads', page: 'Max Receiving Thread Pools', group: 'connection', type: 'int', default: 200, min: 1, max: FIVE_DIGITS, notApplicable: true,
    note: 'Not applicable: receipts and MOs are handled on one event loop; the bound is the receiving queue.' },
  { key: 'receiveQueueLength', page: 'Receiving Thread Pool Queue Length', group: 'connection', type: 'int', default: 2000, min: 1, max: FIVE_DIGITS,
    note: 'MOs and receipts not yet handled, for the whole gateway: waiting for their answer, in the flow (Acknowledge when handled), or parts held for the rest of their message; beyond it the SMSC gets ESME_RTHROTTLED (ESME_RMSGQFUL for a part) and retries.' },
  { key: 'maxReceiveRate', page: 'Max Receiving Rate', group: 'connection', type: 'optint', default: '', min: 1, max: TEN_DIGITS, unit: '/s',
    note: 'MOs and receipts per second; above it the SMSC gets ESME_RTHROTTLED. Empty with the two below.' },
  { key: 'maxSendRate', page: 'Max Sending Rate', group: 'connection', type: 'optint', default: '', min: 1, max: TEN_DIGITS, unit: '/s',
    note: 'PDUs per second sent (a 3-part message counts 3). Empty with the others.' },
  { key: 'trafficPolicy', page: 'Extra Traffic Processing Policy', group: 'connection', type: 'enum', default: '', options: ['', 'delay', 'reject'],
    note: 'Over Max Sending Rate: delay (queue) or reject (fail at once). The page codes them 1 and 2.' },
  { key: 'concatMode', page: 'Long Message Concatenation Mode', group: 'connection', type: 'enum', default: 'udh', options: ['udh', 'sar'],
    note: 'GSM User Data Header or SMPP parameters (sar_* TLVs).' },
  { key: 'udhReference', page: '', group: 'connection', type: 'enum', default: '8', options: ['8', '16'],
    note: 'Concatenation reference size in the UDH: 8-bit (IEI 0x00) or 16-bit (IEI 0x08).' },
  { key: 'sarFullParts', page: '', group: 'connection', type: 'bool', default: false,
    note: 'SAR parts filled to Max Content Length. Off: they leave room for the 6-octet header (7 with 16-bit references) the SMSC adds over the air, as UDH parts do.' },

  // ---- Message protocol parameters ------------------------------------------
  { key: 'systemType', page: 'ESME Type', group: 'protocol', type: 'string', default: '', maxLength: 12,
    note: 'system_type of the bind (SMPP allows 13 octets including the terminating NUL).' },
  { key: 'interfaceVersion', page: '', group: 'protocol', type: 'int', default: 0x34, min: 0, max: 255,
    note: 'interface_version of the bind (0x34 = 52 = SMPP 3.4).' },
  { key: 'addrTon', page: 'ESME Address Type Code', group: 'protocol', type: 'int', default: 0, min: 0, max: 27,
    note: 'addr_ton of the bind.' },
  { key: 'addrNpi', page: 'ESME Address Encoding Mode', group: 'protocol', type: 'int', default: 0, min: 0, max: 255,
    note: 'addr_npi of the bind.' },
  { key: 'addressRange', page: 'ESME Address Range', group: 'protocol', type: 'string', default: '', maxLength: 15,
    note: 'address_range of the bind.' },
  { key: 'serviceType', page: 'Service Type', group: 'protocol', type: 'string', default: '', maxLength: 5,
    note: 'service_type of submit_sm/data_sm (SMPP allows 6 octets including NUL; the page says 500).' },
  { key: 'sourceAddrTon', page: 'Source Address Code Type', group: 'protocol', type: 'addr', default: 0, min: 0, max: 255,
    note: 'source_addr_ton, or auto (alphanumeric 5, +international 1, short code 3).' },
  { key: 'sourceAddrNpi', page: 'Source Address Code Scheme', group: 'protocol', type: 'addr', default: 0, min: 0, max: 255,
    note: 'source_addr_npi, or auto.' },
  { key: 'destAddrTon', page: 'Destination Address Code Type', group: 'protocol', type: 'addr', default: 0, min: 0, max: 255,
    note: 'dest_addr_ton, or auto.' },
  { key: 'destAddrNpi', page: 'Destination Address Code Scheme', group: 'protocol', type: 'addr', default: 0, min: 0, max: 255,
    note: 'dest_addr_npi, or auto.' },
  { key: 'esmClass', page: 'Message Type', group: 'protocol', type: 'int', default: 0, min: 0, max: 255,
    note: 'esm_class of submit_sm/data_sm (UDHI is added by the splitter when needed).' },
  { key: 'messageFormat', page: 'Message Format', group: 'protocol', type: 'enum', default: 'auto',
    pageDefault: 'ascii', differs: 'ascii cannot carry an accent or Chinese; auto sends GSM 7-bit when the text fits it, else UCS2',
    options: ['ascii', 'binary', 'ucs2', 'gsm7', 'latin1', 'auto'],
    note: 'ascii = IA5 (data_coding 1), binary (4), ucs2 (8); ours: gsm7 (0), latin1 (3), auto = GSM 7-bit when it fits, else UCS2.' },
  { key: 'protocolId', page: 'Protocol ID', group: 'protocol', type: 'int', default: 0, min: 0, max: 255,
    note: 'protocol_id of submit_sm.' },
  { key: 'registeredDelivery', page: 'Return Status Confirmation Report', group: 'protocol', type: 'enum', default: '2', options: ['0', '1', '2'],
    note: 'registered_delivery: 0 none, 1 success and failure, 2 failure only.' },
  { key: 'replaceIfPresent', page: 'Replacement Flag', group: 'protocol', type: 'enum', default: '0', options: ['0', '1'],
    note: 'replace_if_present_flag: 0 not replace, 1 replace.' },
  { key: 'smDefaultMsgId', page: 'Default Message ID', group: 'protocol', type: 'int', default: 0, min: 0, max: 254,
    note: 'sm_default_msg_id (SMPP: one octet, 1 to 254 or 0 for none).' },

  // ---- Ours: timeouts, reconnect, delivery guarantees -------------------------
  { key: 'connectTimeout', page: '', group: 'advanced', type: 'int', default: 10000, min: 100, max: 600000, unit: 'ms',
    note: 'TCP (and TLS) connect must finish within this.' },
  { key: 'bindTimeout', page: '', group: 'advanced', type: 'int', default: 10000, min: 100, max: 600000, unit: 'ms',
    note: 'The bind response must arrive within this.' },
  { key: 'reconnectMin', page: '', group: 'advanced', type: 'int', default: 1000, min: 10, max: 600000, unit: 'ms',
    note: 'First reconnect delay; doubles on each failure, with jitter.' },
  { key: 'reconnectMax', page: '', group: 'advanced', type: 'int', default: 60000, min: 10, max: 3600000, unit: 'ms',
    note: 'Cap of the reconnect delay.' },
  { key: 'inflightOnDrop', page: '', group: 'advanced', type: 'enum', default: 'fail', options: ['fail', 'resend'],
    note: 'Requests outstanding when the link drops: fail as outcome unknown (at most once) or resend after reconnect (at least once).' },
  { key: 'drainTimeout', page: '', group: 'advanced', type: 'int', default: 2000, min: 0, max: 10000, unit: 'ms',
    note: 'On redeploy/stop: wait this long for outstanding responses before unbinding.' },
  { key: 'links', page: '', group: 'advanced', type: 'int', default: 1, min: 1, max: 16,
    note: 'How many SMPP links (binds) to open to the SMSC, each with its own window; sends go to the bound link with the most room. Check how many binds your account allows.' },
  { key: 'bindSplit', page: '', group: 'advanced', type: 'bool', default: false,
    note: 'Bind a transmitter and a receiver (per link) instead of a transceiver, for SMSCs that require it. Only with Receiving And Sending Mode = both.' },
  { key: 'tlsCaFile', page: '', group: 'advanced', type: 'string', default: '', maxLength: 1024,
    note: 'TLS: a PEM file of the CA(s) that signed the SMSC certificate (instead of the system CAs). Empty: system CAs.' },
  { key: 'tlsPin', page: '', group: 'advanced', type: 'string', default: '', maxLength: 400,
    pattern: '(?:[0-9A-Fa-f]{2}:?){32}(?:;(?:[0-9A-Fa-f]{2}:?){32})*', patternText: 'SHA-256 fingerprints (64 hex digits, colons allowed), several separated by ;',
    note: 'TLS: accept only an SMSC certificate with this SHA-256 fingerprint (pinning); checked in addition to verification when that is on.' },
  { key: 'concatWait', page: '', group: 'advanced', type: 'int', default: 60000, min: 1000, max: 3600000, unit: 'ms',
    note: 'Incoming concatenated MO: how long to wait for missing parts; then what arrived is emitted flagged incomplete.' },
  { key: 'ackMo', page: '', group: 'advanced', type: 'enum', default: 'handled', options: ['handled', 'arrival'],
    note: 'When an MO or a receipt is acknowledged to the SMSC: when handled = once the nodes it reached in the flow are done with it (an error there: Ack Error Status, so the SMSC retries); on arrival = as soon as it is output.' },
  { key: 'ackTimeLimit', page: '', group: 'advanced', type: 'int', default: 30000, min: 100, max: 3600000, unit: 'ms',
    note: 'Acknowledge when handled: a msg still in the flow after this long is acknowledged anyway, and counted (snapshot: ackedByTimeLimit).' },
  { key: 'ackErrorStatus', page: '', group: 'advanced', type: 'enum', default: 'ESME_RX_T_APPN',
    options: ['ESME_RX_T_APPN', 'ESME_RTHROTTLED', 'ESME_RMSGQFUL', 'ESME_RSYSERR', 'ESME_RX_P_APPN', 'ESME_RX_R_APPN'],
    note: 'Acknowledge when handled: the status answered when a node reports an error for the msg (done(err)). ESME_RX_T_APPN: the SMSC retries.' },
  { key: 'correlationStore', page: '', group: 'advanced', type: 'string', default: '', maxLength: 64,
    pattern: '[A-Za-z0-9_\\-]+', patternText: 'the name of a context store in settings.js',
    note: 'Where sent messages are remembered for their receipts: empty = in memory (lost on restart); or a Node-RED context store name (e.g. file for localfilesystem) to survive a restart.' },
  { key: 'correlationTtl', page: '', group: 'advanced', type: 'int', default: 72, min: 1, max: 8760, unit: 'h',
    note: 'How long a sent message waits for its final receipt before it is forgotten (counted as expired).' },
  { key: 'correlationMax', page: '', group: 'advanced', type: 'int', default: 1000000, min: 100, max: 100000000,
    note: 'At most this many sent messages remembered; the oldest are forgotten first (counted as evicted).' },
  { key: 'messageIdForm', page: '', group: 'advanced', type: 'enum', default: 'auto', options: ['auto', 'exact', 'receipt-decimal', 'receipt-hex'],
    note: 'How receipt ids relate to submit_sm_resp ids: auto matches all forms (case, leading zeros, hex and decimal); exact, or the receipt carries the decimal (or hex) form of a hex (or decimal) id.' },
  { key: 'receiptGrace', page: '', group: 'advanced', type: 'int', default: 3000, min: 0, max: 30000, unit: 'ms',
    note: 'A receipt that matches nothing while messages still wait for their submit_sm_resp is held this long (its deliver_sm_resp with it) for the response it may be ahead of; then it is reported unmatched. 0: never hold.' },
  { key: 'acceptedIsFinal', page: '', group: 'advanced', type: 'bool', default: false,
    note: 'Take a receipt in state ACCEPTED (ACCEPTD) as the final outcome, for SMSCs that send nothing after it. Off: ACCEPTED is intermediate and the real outcome is awaited.' },
  { key: 'shareInstances', page: '', group: 'advanced', type: 'bool', default: false,
    note: 'Several Node-RED instances running these flows on one account act as one gateway, through the Redis store named in Receipt Correlation Context Store: Max Sending Rate is the account\'s, a receipt reaches the instance waiting for it, long messages\' receipts and long MOs are put together in Redis. (Old name: shareSendRate.)' },
];

export const PARAMETERS_BY_KEY: ReadonlyMap<string, Param> = new Map(PARAMETERS.map((p) => [p.key, p]));

export function defaultConfig(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of PARAMETERS) out[p.key] = p.default;
  return out;
}
