/**
 * Shared types of the text layer.
 *
 * TextUnit says how the encoded bytes count on the air:
 * - 'septet': GSM 7-bit, one unpacked septet per octet (SMPP data_coding 0);
 *   an extension character is two septets (0x1B + code).
 * - 'ucs2':   UTF-16BE, two octets per code unit (a surrogate pair is 4 octets).
 * - 'octet':  one octet per character or byte (IA5, Latin-1, binary, ...).
 */
export type TextUnit = 'septet' | 'octet' | 'ucs2';

/** Alphabet a data_coding byte stands for, as far as this gateway decodes it. */
export type Alphabet = 'gsm7' | 'ia5' | 'latin1' | 'ucs2' | 'binary' | 'iso-8859-5' | 'iso-8859-8';
