/**
 * Reading an outbind PDU (SMPP 3.4 section 4.1.7): system_id and password.
 * The fields are read at any length, as the bind writes them: the gateway's
 * bind sends its credentials whole (a password over the 8 characters of
 * section 4.1.7 included), so an outbind with those same credentials must be
 * read whole too. Pure; never throws; errors never quote the password.
 */
import { CMD } from './command-ids';
import { HEADER_LENGTH } from './frame-reader';

export const OUTBIND_COMMAND_ID = CMD.OUTBIND;

export type OutbindParse =
  | { ok: true; systemId: string; password: string }
  | { ok: false; error: string };

export function readOutbind(pdu: Buffer): OutbindParse {
  if (pdu.length < HEADER_LENGTH) return { ok: false, error: `${pdu.length} octets is shorter than an SMPP header` };
  const len = pdu.readUInt32BE(0);
  if (len !== pdu.length) return { ok: false, error: `command_length ${len} does not match ${pdu.length} octets` };
  const id = pdu.readUInt32BE(4);
  if (id !== OUTBIND_COMMAND_ID) return { ok: false, error: `expected outbind, got command_id 0x${id.toString(16).padStart(8, '0')}` };
  const sysEnd = pdu.indexOf(0, HEADER_LENGTH);
  if (sysEnd < 0) return { ok: false, error: 'system_id is not a C-string (no NUL)' };
  const pwEnd = pdu.indexOf(0, sysEnd + 1);
  if (pwEnd < 0) return { ok: false, error: 'password is not a C-string (no NUL)' };
  return { ok: true, systemId: pdu.toString('latin1', HEADER_LENGTH, sysEnd), password: pdu.toString('latin1', sysEnd + 1, pwEnd) };
}

/**
 * The longest outbind that can carry these credentials: the header, both
 * C-strings, and a little slack for peers that pad. Longer ones cannot be ours.
 */
export function maxOutbindLength(systemId: string, password: string): number {
  return HEADER_LENGTH + Buffer.byteLength(systemId, 'latin1') + 1 + Buffer.byteLength(password, 'latin1') + 1 + 32;
}
