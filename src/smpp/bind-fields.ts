/**
 * The body of a bind_transmitter / bind_receiver / bind_transceiver (SMPP 3.4
 * section 4.1), from the gateway's settings: one place, so the link's bind and
 * the editor's Test connection bind send exactly the same fields.
 */
export interface BindSettings {
  systemId: string;
  password: string;
  systemType: string;
  interfaceVersion: number;
  addrTon: number;
  addrNpi: number;
  addressRange: string;
}

export function bindFields(s: BindSettings): Record<string, string | number> {
  return {
    system_id: s.systemId,
    password: s.password,
    system_type: s.systemType,
    interface_version: s.interfaceVersion,
    addr_ton: s.addrTon,
    addr_npi: s.addrNpi,
    address_range: s.addressRange,
  };
}
