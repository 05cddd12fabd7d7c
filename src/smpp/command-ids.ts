/** SMPP 3.4 command_id values the gateway reads or writes without the `smpp` package (section 5.1.2.1). */
export const CMD = {
  GENERIC_NACK: 0x80000000,
  SUBMIT_SM: 0x00000004,
  SUBMIT_SM_RESP: 0x80000004,
  DELIVER_SM: 0x00000005,
  DELIVER_SM_RESP: 0x80000005,
  OUTBIND: 0x0000000b,
  ENQUIRE_LINK_RESP: 0x80000015,
  DATA_SM: 0x00000103,
  DATA_SM_RESP: 0x80000103,
} as const;

/** command_id bit 31: set on every response (section 5.1.2.1) */
export const RESPONSE_BIT = 0x80000000;
