import assert from 'node:assert/strict';
import { PDU } from 'smpp';
import { parseGatewayConfig } from '../../src/config/gateway-config';
import { buildSubmit } from '../../src/message/build-submit';
import { readInboundPdu as readRawMessage } from '../../src/smpp/inbound-pdu';
import { checkSmppFields, MANDATORY_FIELDS, TLV_FIELDS } from '../../src/message/smpp-fields';

function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

/**
 * Every TLV a flow may set, with a value and the SMPP 3.4 tag and octets it
 * must go on the wire as (independent of the codec's own tables).
 */
const TLV_WIRE: { name: string; value: unknown; tag: number; octets: Buffer }[] = [
  { name: 'user_message_reference', value: 0x1234, tag: 0x0204, octets: hex('12 34') },
  { name: 'source_port', value: 2948, tag: 0x020a, octets: hex('0b 84') },
  { name: 'destination_port', value: 9200, tag: 0x020b, octets: hex('23 f0') },
  { name: 'source_addr_subunit', value: 2, tag: 0x000d, octets: hex('02') },
  { name: 'dest_addr_subunit', value: 3, tag: 0x0005, octets: hex('03') },
  { name: 'source_network_type', value: 1, tag: 0x000e, octets: hex('01') },
  { name: 'dest_network_type', value: 2, tag: 0x0006, octets: hex('02') },
  { name: 'source_bearer_type', value: 1, tag: 0x000f, octets: hex('01') },
  { name: 'dest_bearer_type', value: 4, tag: 0x0007, octets: hex('04') },
  { name: 'payload_type', value: 1, tag: 0x0019, octets: hex('01') },
  { name: 'privacy_indicator', value: 3, tag: 0x0201, octets: hex('03') },
  { name: 'callback_num', value: hex('00 01 01 34 36 37'), tag: 0x0381, octets: hex('00 01 01 34 36 37') },
  { name: 'callback_num_pres_ind', value: 5, tag: 0x0302, octets: hex('05') },
  { name: 'callback_num_atag', value: hex('00 41 42'), tag: 0x0303, octets: hex('00 41 42') },
  { name: 'source_subaddress', value: hex('a0 31 32'), tag: 0x0202, octets: hex('a0 31 32') },
  { name: 'dest_subaddress', value: 'x12', tag: 0x0203, octets: Buffer.from('x12', 'latin1') },
  { name: 'user_response_code', value: 200, tag: 0x0205, octets: hex('c8') },
  { name: 'display_time', value: 2, tag: 0x1201, octets: hex('02') },
  { name: 'sms_signal', value: 0x0102, tag: 0x1203, octets: hex('01 02') },
  { name: 'ms_validity', value: 3, tag: 0x1204, octets: hex('03') },
  { name: 'ms_msg_wait_facilities', value: 0x81, tag: 0x0030, octets: hex('81') },
  { name: 'number_of_messages', value: 99, tag: 0x0304, octets: hex('63') },
  { name: 'alert_on_message_delivery', value: 1, tag: 0x130c, octets: hex('01') },
  { name: 'language_indicator', value: 2, tag: 0x020d, octets: hex('02') },
  { name: 'its_reply_type', value: 4, tag: 0x1380, octets: hex('04') },
  { name: 'its_session_info', value: 0x0a01, tag: 0x1383, octets: hex('0a 01') },
  { name: 'ussd_service_op', value: 17, tag: 0x0501, octets: hex('11') },
  { name: 'more_messages_to_send', value: 1, tag: 0x0426, octets: hex('01') },
  { name: 'qos_time_to_live', value: 0x01020304, tag: 0x0017, octets: hex('01 02 03 04') },
  { name: 'set_dpf', value: 1, tag: 0x0421, octets: hex('01') },
];

describe('message/smpp-fields checkSmppFields', () => {
  it('the wire table covers every TLV a flow may set', () => {
    assert.deepEqual(TLV_WIRE.map((t) => t.name).sort(), Object.keys(TLV_FIELDS).sort());
  });

  it('nothing given: no overrides', () => {
    for (const v of [undefined, null, {}]) {
      assert.deepEqual(checkSmppFields(v), { ok: true, mandatory: {}, tlvs: {} });
    }
  });

  it('mandatory fields and TLVs come back apart; undefined values are skipped', () => {
    const r = checkSmppFields({ priority_flag: 1, esm_class: 0, user_message_reference: 7, validity_period: undefined });
    assert.ok(r.ok);
    assert.deepEqual(r.mandatory, { priority_flag: 1, esm_class: 0 });
    assert.deepEqual(Object.values(r.tlvs), [7]);
  });

  it('every mandatory field accepts its lowest and highest value', () => {
    for (const [name, rule] of Object.entries(MANDATORY_FIELDS)) {
      const values = rule.kind === 'int' ? [rule.min, rule.max] : rule.kind === 'cstring' && rule.pattern ? ['', '000001000000000R'] : ['', 'A'.repeat(rule.max)];
      for (const v of values) {
        const r = checkSmppFields({ [name]: v });
        assert.ok(r.ok, `${name}=${JSON.stringify(v)}: ${r.ok ? '' : r.error}`);
        assert.equal(r.mandatory[name], v);
      }
    }
  });

  it('every int field refuses one past each end, a fraction and text, naming itself', () => {
    for (const [name, rule] of [...Object.entries(MANDATORY_FIELDS), ...Object.entries(TLV_FIELDS)]) {
      if (rule.kind !== 'int') continue;
      for (const v of [rule.min - 1, rule.max + 1, rule.min + 0.5, String(rule.min), null, true]) {
        const r = checkSmppFields({ [name]: v });
        assert.equal(r.ok, false, `${name}=${JSON.stringify(v)}`);
        assert.match((r as { error: string }).error, new RegExp(`^msg\\.smpp\\.${name} must be a whole number from ${rule.min} to ${rule.max}`));
      }
    }
  });

  it('names inherited from Object.prototype are unknown fields', () => {
    for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__']) {
      const smpp = JSON.parse(`{"${name}": 1}`);
      const r = checkSmppFields(smpp);
      assert.equal(r.ok, false, name);
      assert.match((r as { error: string }).error, new RegExp(`^msg\\.smpp\\.${name} is not an SMPP field`));
    }
  });

  for (const t of TLV_WIRE) {
    it(`TLV ${t.name} goes on the wire as tag 0x${t.tag.toString(16).padStart(4, '0')} with ${t.octets.length} octet(s)`, () => {
      const r = checkSmppFields({ [t.name]: t.value });
      assert.ok(r.ok, r.ok ? '' : r.error);
      assert.equal(Object.keys(r.tlvs).length, 1);
      for (const command of ['submit_sm', 'data_sm'] as const) {
        const config = parseGatewayConfig({ host: '127.0.0.1', pduType: command }).config;
        assert.ok(config);
        const built = buildSubmit({ payload: 'hi', to: '123456789', smpp: { [t.name]: t.value } }, config, () => 1);
        assert.ok(built.ok, built.ok ? '' : built.error);
        const buf = new PDU(command, built.pdus[0]).toBuffer();
        if (command === 'submit_sm') buf.writeUInt32BE(0x05, 4);
        const raw = readRawMessage(buf);
        assert.ok(raw);
        assert.deepEqual(raw.tlvs.get(t.tag), t.octets, command);
      }
    });
  }
});
