/**
 * What a test (or the --control channel) can make the simulator do on
 * purpose: failure modes, MOs on demand (as options, as encoded PDUs, to
 * one receiver or to all), raw bytes, unbind from the SMSC side, dropped
 * connections, and the field modes' MOs (field-mos.ts).
 */
import { fieldMos, FieldMoKind } from './field-mos';
import type { MoOptions } from './mo-message';
import { CMD, headerOnly } from './pdu-builder';
import type { FailureState } from './request-handler';
import type { Sessions } from './sessions';
import type { BindMode, FailureMode } from './sim-types';

/** A copy of a failure mode, or a TypeError naming what is wrong with it. */
export function checkFailureMode(mode: FailureMode): FailureMode {
  const m = mode as FailureMode & Record<string, unknown>;
  const positiveInt = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
  switch (m.kind) {
    case 'none':
    case 'silent':
      break;
    case 'throttle':
      if (!positiveInt(m.everyN)) throw new TypeError('throttle needs everyN >= 1');
      if (m.status !== undefined && !(typeof m.status === 'number' && m.status >= 0)) throw new TypeError('throttle status must be a number');
      break;
    case 'garbage':
      if (!positiveInt(m.everyN)) throw new TypeError('garbage needs everyN >= 1');
      break;
    case 'late':
      if (!(typeof m.delayMs === 'number' && m.delayMs >= 0)) throw new TypeError('late needs delayMs >= 0');
      break;
    case 'reject':
      if (!(typeof m.status === 'number' && m.status > 0)) throw new TypeError('reject needs a nonzero status');
      break;
    default:
      throw new TypeError(`unknown failure mode ${String((m as { kind?: unknown }).kind)}`);
  }
  return { ...mode };
}

function noReceiver(systemId: string | undefined): Error {
  return new Error(`no bound receiver${systemId !== undefined ? ` for system id ${systemId}` : ''}`);
}

export class TestControls {
  constructor(private readonly sessions: Sessions, private readonly failure: FailureState) {}

  setFailure(mode: FailureMode): void {
    this.failure.mode = checkFailureMode(mode);
    this.failure.count = 0;
  }

  injectMo(opts: MoOptions): Promise<number> {
    const st = this.sessions.pickReceiver(opts.systemId);
    if (!st) return Promise.reject(noReceiver(opts.systemId));
    return this.sessions.sendMo(st, opts);
  }

  injectMoPdu(pdu: Buffer, systemId?: string): Promise<number> {
    const st = this.sessions.pickReceiver(systemId);
    if (!st) return Promise.reject(noReceiver(systemId));
    if (pdu.length < 16) return Promise.reject(new TypeError('injectMoPdu needs a whole PDU'));
    return this.sessions.sendMo(st, pdu);
  }

  /** The MOs of a field mode (field-mos.ts), one after the other to one receiver; resolves with each status. */
  async injectFieldMo(kind: FieldMoKind, opts: { from?: string; to?: string; systemId?: string } = {}): Promise<number[]> {
    const mos = fieldMos(kind, opts.from ?? '+15550001111', opts.to ?? '12345');
    const st = this.sessions.pickReceiver(opts.systemId);
    if (!st) throw noReceiver(opts.systemId);
    const statuses: number[] = [];
    for (const mo of mos) statuses.push(await this.sessions.sendMo(st, mo));
    return statuses;
  }

  broadcastMo(opts: MoOptions): Promise<number[]> {
    const targets = [...this.sessions.all].filter((st) => this.sessions.canReceive(st) && (opts.systemId === undefined || st.systemId === opts.systemId));
    return Promise.all(targets.map((st) => this.sessions.sendMo(st, opts).catch(() => -1)));
  }

  injectRaw(buf: Buffer): void {
    for (const st of this.sessions.all) if (st.mode) this.sessions.write(st, buf);
  }

  sendUnbind(): Promise<void> {
    const targets = [...this.sessions.all].filter((st) => st.mode);
    const closed = targets.map((st) => new Promise<void>((resolve) => {
      if (st.closed) resolve();
      else st.socket.once('close', () => resolve());
    }));
    for (const st of targets) {
      this.sessions.unbound(st);
      st.unbinding = true;
      this.sessions.write(st, headerOnly(CMD.unbind, 0, this.sessions.nextSeq(st)));
      this.sessions.armCloseTimer(st);
    }
    return Promise.all(closed).then(() => undefined);
  }

  dropConnections(): void {
    this.sessions.closeAll('connections dropped');
  }

  dropOneConnection(mode?: BindMode): BindMode | null {
    for (const st of this.sessions.all) {
      if (!st.mode || st.closed || (mode !== undefined && st.mode !== mode)) continue;
      const was = st.mode;
      this.sessions.close(st, 'one connection dropped');
      return was;
    }
    return null;
  }

  sendEnquireLinks(): void {
    if (this.failure.mode.kind === 'silent') return;
    for (const st of this.sessions.all) {
      if (st.mode) this.sessions.write(st, headerOnly(CMD.enquire_link, 0, this.sessions.nextSeq(st)));
    }
  }
}
