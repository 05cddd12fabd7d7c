/**
 * Tags of the SMPP 3.4 optional parameters (TLVs) the gateway reads from raw
 * PDUs (section 5.3.2, table 5-8). Named here so no reader writes a bare number.
 */
export const TLV = {
  /** 5.3.2.12: the message id a receipt reports on (C-string) */
  RECEIPTED_MESSAGE_ID: 0x001e,
  /** 5.3.2.22: sar_msg_ref_num (2 octets) */
  SAR_MSG_REF_NUM: 0x020c,
  /** 5.3.2.24: sar_total_segments (1 octet) */
  SAR_TOTAL_SEGMENTS: 0x020e,
  /** 5.3.2.23: sar_segment_seqnum (1 octet) */
  SAR_SEGMENT_SEQNUM: 0x020f,
  /** 5.3.2.17: user_message_reference (2 octets) */
  USER_MESSAGE_REFERENCE: 0x0204,
  /** 5.3.2.20: source_port (2 octets) */
  SOURCE_PORT: 0x020a,
  /** 5.3.2.21: destination_port (2 octets) */
  DESTINATION_PORT: 0x020b,
  /** 5.3.2.19: language_indicator (1 octet) */
  LANGUAGE_INDICATOR: 0x020d,
  /** 5.3.2.31: network_error_code (3 octets) */
  NETWORK_ERROR_CODE: 0x0423,
  /** 5.3.2.32: message_payload (any length) */
  MESSAGE_PAYLOAD: 0x0424,
  /** 5.3.2.35: message_state (1 octet) */
  MESSAGE_STATE: 0x0427,
  /** 5.3.2.43: its_session_info (2 octets) */
  ITS_SESSION_INFO: 0x1383,
} as const;
