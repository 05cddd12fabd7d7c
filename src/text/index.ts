/** Public surface of the text layer: codecs, data_coding choice, splitting and UDH parsing. */
export type { TextUnit, Alphabet } from './types';
export { gsm7Encode, gsm7Decode, gsm7Length, isGsm7, gsm7InvalidIndex } from './gsm7';
export { ucs2Encode, ucs2Decode } from './ucs2';
export { asciiEncode, asciiDecode, asciiInvalidIndex } from './ascii';
export { latin1Encode, latin1Decode, latin1InvalidIndex } from './latin1';
export { iso8859Encode, iso8859Decode, iso8859InvalidIndex } from './iso8859';
export { encodeText, decodeByDataCoding, alphabetOfDataCoding } from './data-coding';
export type { EncodeResult, DecodeResult } from './data-coding';
export { segmentMessage, partCapacity } from './segment';
export type { SplitMode, ConcatMode, SegmentOptions, SmsPart, SarInfo, SegmentResult } from './segment';
export { parseUdh } from './udh';
export type { ParsedUdh, UdhConcat } from './udh';
export { countSms } from './sms-count';
export type { CountSettings, SmsCount } from './sms-count';
export { quoteValue, QUOTE_MAX } from './quote';
