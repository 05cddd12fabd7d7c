/**
 * One-shot bind for the editor's "Test connection" button: connect, bind with
 * the given settings, read the SMSC's answer, unbind and close. Never keeps
 * the link, never retries, never throws; it resolves once with what happened
 * within `timeoutMs` (connect + bind together).
 *
 * Self-contained on purpose (only the `smpp` package's PDU codec and the TLS
 * option helpers): it must not depend on how the gateway's link is built.
 */
import * as net from 'net';
import * as tls from 'tls';
import { PDU } from 'smpp';
import type { GatewayConfig } from '../config/gateway-config';
import { COMMAND_STATUS, statusName } from '../smpp/command-status';
import { bindFields, BindSettings } from '../smpp/bind-fields';
import { loadTlsCa, parsePins, pinMismatch, tlsConnectOptions, tlsFailureReason } from './tls-options';

export interface ProbeSettings extends BindSettings {
  host: string;
  port: number;
  tls: boolean;
  tlsVerify: boolean;
  tlsCa?: string | Buffer;
  tlsPins?: readonly string[];
  bindMode: 'transceiver' | 'receiver' | 'transmitter';
  /** connect and bind must both finish within this */
  timeoutMs: number;
}

export type ProbeResult =
  /** the SMSC accepted the bind; systemId is the one it named in the response */
  | { result: 'bound'; systemId: string; ms: number }
  /** the SMSC answered the bind with an error status */
  | { result: 'refused'; status: string; code: number; ms: number }
  /** the connection failed (refused, reset, DNS, TLS) before a bind answer */
  | { result: 'failed'; reason: string; ms: number }
  /** no bind answer within timeoutMs */
  | { result: 'timeout'; stage: 'connect' | 'bind'; ms: number };

const BIND: Record<ProbeSettings['bindMode'], string> = {
  transceiver: 'bind_transceiver',
  receiver: 'bind_receiver',
  transmitter: 'bind_transmitter',
};

/**
 * The probe's settings from a parsed gateway configuration and the login:
 * the CA file is read and the pins parsed here; an error names what is wrong.
 * `limitMs` caps connect + bind (the dialog's values may be large).
 */
export function probeSettingsOf(c: GatewayConfig, login: { systemId: string; password: string }, limitMs: number): ProbeSettings | { error: string } {
  const ca = loadTlsCa(c);
  if (ca.error) return { error: ca.error };
  let pins: string[] = [];
  try {
    pins = c.tls ? parsePins(c.tlsPin) : [];
  } catch (e) {
    return { error: (e as Error).message };
  }
  return {
    host: c.host,
    port: c.port,
    tls: c.tls,
    tlsVerify: c.tlsVerify,
    tlsCa: ca.ca,
    tlsPins: pins,
    bindMode: c.bindMode,
    systemId: login.systemId,
    password: login.password,
    systemType: c.systemType,
    interfaceVersion: c.interfaceVersion,
    addrTon: c.addrTon,
    addrNpi: c.addrNpi,
    addressRange: c.addressRange,
    timeoutMs: Math.min(limitMs, c.connectTimeout + c.bindTimeout),
  };
}

/** Unbind politely after a successful bind, but never wait for the answer longer than this. */
const UNBIND_WAIT_MS = 1000;

export function probeBind(s: ProbeSettings, now: () => number = Date.now): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const started = now();
    let stage: 'connect' | 'bind' = 'connect';
    let done = false;
    let pending = Buffer.alloc(0);
    let socket: net.Socket;

    const finish = (r: ProbeResult, unbind = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(r);
      if (unbind) {
        try {
          socket.write(new PDU('unbind', { sequence_number: 2 }).toBuffer());
        } catch {
          // the socket went already
        }
        setTimeout(() => socket.destroy(), UNBIND_WAIT_MS).unref();
        socket.once('close', () => undefined);
      } else {
        socket.destroy();
      }
    };
    const ms = () => now() - started;
    const timer = setTimeout(() => finish({ result: 'timeout', stage, ms: ms() }), s.timeoutMs);

    try {
      socket = s.tls ? tls.connect(tlsConnectOptions({ ...s, clientPort: 0 })) : net.connect({ host: s.host, port: s.port });
    } catch (e) {
      clearTimeout(timer);
      resolve({ result: 'failed', reason: (e as Error).message, ms: ms() });
      return;
    }
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const tlsReason = s.tls && stage === 'connect' ? tlsFailureReason(e, s.host, s.port) : null;
      finish({ result: 'failed', reason: tlsReason ?? e.code ?? e.message, ms: ms() });
    });
    socket.on('close', () => finish({ result: 'failed', reason: stage === 'bind' ? 'the SMSC closed the connection without answering the bind' : 'connection closed', ms: ms() }));
    socket.once(s.tls ? 'secureConnect' : 'connect', () => {
      if (s.tls) {
        const mismatch = pinMismatch((socket as tls.TLSSocket).getPeerCertificate?.()?.fingerprint256, s.tlsPins ?? []);
        if (mismatch) return finish({ result: 'failed', reason: mismatch, ms: ms() });
      }
      stage = 'bind';
      const bind = new PDU(BIND[s.bindMode], { sequence_number: 1, ...bindFields(s) });
      socket.write(bind.toBuffer());
    });
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const len = pending.readUInt32BE(0);
        if (len < 16 || len > 65536) return finish({ result: 'failed', reason: 'the peer does not speak SMPP', ms: ms() });
        if (pending.length < len) return;
        const frame = pending.subarray(0, len);
        pending = pending.subarray(len);
        onFrame(frame);
        if (done) return;
      }
    });

    function onFrame(frame: Buffer): void {
      let pdu: PDU & Record<string, unknown>;
      try {
        pdu = PDU.fromBuffer(frame) as PDU & Record<string, unknown>;
      } catch {
        return finish({ result: 'failed', reason: 'the peer does not speak SMPP', ms: ms() });
      }
      if (pdu.command === `${BIND[s.bindMode]}_resp`) {
        const status = Number(pdu.command_status) >>> 0;
        if (status === COMMAND_STATUS.ESME_ROK) return finish({ result: 'bound', systemId: String(pdu.system_id ?? ''), ms: ms() }, true);
        return finish({ result: 'refused', status: statusName(status), code: status, ms: ms() });
      }
      if (pdu.command === 'generic_nack') {
        const status = Number(pdu.command_status) >>> 0;
        return finish({ result: 'refused', status: statusName(status), code: status, ms: ms() });
      }
      // anything else before the bind answer (an enquire_link...) is not ours to serve here
    }
  });
}
