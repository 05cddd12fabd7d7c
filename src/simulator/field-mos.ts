/**
 * MOs as SMSCs in the field send them, for sim.injectFieldMo(kind) and the
 * control command `field-mo KIND`:
 *
 *   tlv-mo         an ordinary MO (esm_class message type 0) that also carries
 *                  a receipted_message_id TLV: still an MO (SMPP 3.4 5.2.12)
 *   malformed-udh  a concatenated MO in 2 parts whose UDH holds, after the
 *                  concatenation element, an element that runs past the UDH
 *                  length (TS 23.040 9.2.3.24: ignore it, keep the message)
 *   iso-8859-5     an MO in data_coding 6 (Cyrillic)
 *   iso-8859-8     an MO in data_coding 7 (Hebrew)
 *
 * FIELD_MO_TEXT holds the text each one must come out as. Pure.
 */
import type { MoOptions } from './mo-message';

export type FieldMoKind = 'tlv-mo' | 'malformed-udh' | 'iso-8859-5' | 'iso-8859-8';
export const FIELD_MO_KINDS: readonly FieldMoKind[] = ['tlv-mo', 'malformed-udh', 'iso-8859-5', 'iso-8859-8'];

export const FIELD_MO_TEXT: Readonly<Record<FieldMoKind, string>> = {
  'tlv-mo': 'an MO that also carries a receipt id TLV',
  'malformed-udh': 'first part, and the second part',
  'iso-8859-5': 'Привет, Ёжик №5',
  'iso-8859-8': 'שלום עולם',
};

/** The id in the tlv-mo's receipted_message_id TLV. */
export const FIELD_MO_RECEIPTED_ID = 'f1e1d000';
/** The concatenation reference of the malformed-udh MO. */
export const FIELD_MO_UDH_REF = 0x5b;

/** UDH: concatenation (8-bit ref) then element 0x25 claiming 4 octets the UDH does not have. */
function malformedUdh(part: number, total: number): Buffer {
  return Buffer.from([7, 0x00, 0x03, FIELD_MO_UDH_REF, total, part, 0x25, 0x04]);
}

export function fieldMos(kind: FieldMoKind, from: string, to: string): MoOptions[] {
  const text = FIELD_MO_TEXT[kind];
  switch (kind) {
    case 'tlv-mo':
      return [{ from, to, text, esmClass: 0, dataCoding: 0, tlvs: { receipted_message_id: FIELD_MO_RECEIPTED_ID } }];
    case 'malformed-udh': {
      const cut = text.indexOf(', ') + 1;
      const parts = [text.slice(0, cut), text.slice(cut)];
      return parts.map((p, i) => ({
        from, to, esmClass: 0x40, dataCoding: 0,
        bytes: Buffer.concat([malformedUdh(i + 1, parts.length), Buffer.from(p, 'latin1')]),
      }));
    }
    case 'iso-8859-5':
      return [{ from, to, text, dataCoding: 6 }];
    case 'iso-8859-8':
      return [{ from, to, text, dataCoding: 7 }];
    default:
      throw new TypeError(`unknown field MO ${String(kind).slice(0, 40)}; one of ${FIELD_MO_KINDS.join(', ')}`);
  }
}
