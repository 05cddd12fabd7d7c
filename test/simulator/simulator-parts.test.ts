/**
 * The simulator's pure parts: the PDU reader, the delay queue, id forms and
 * receipt text.
 */
import assert from 'node:assert/strict';
import * as smpp from 'smpp';
import { DelayQueue } from '../../src/simulator/delay-queue';
import { MessageIdGenerator, receiptIdOf } from '../../src/simulator/message-ids';
import { messageSnippet, PduFramer, readBind, readSubmit } from '../../src/simulator/pdu-reader';
import { receiptDeliverSm } from '../../src/simulator/pdu-builder';
import { receiptDate, receiptText } from '../../src/simulator/receipt-format';

describe('simulator parts', () => {
  describe('PduFramer', () => {
    it('frames PDUs split anywhere across chunks', () => {
      const a = new smpp.PDU('enquire_link', { sequence_number: 1 }).toBuffer();
      const b = new smpp.PDU('submit_sm', { sequence_number: 2, destination_addr: '123', short_message: Buffer.from('hi'), data_coding: 0 }).toBuffer();
      const all = Buffer.concat([a, b, a]);
      for (let cut1 = 1; cut1 < all.length - 1; cut1 += 3) {
        const cut2 = Math.min(all.length - 1, cut1 + 7);
        const f = new PduFramer();
        const got: number[] = [];
        for (const chunk of [all.subarray(0, cut1), all.subarray(cut1, cut2), all.subarray(cut2)]) {
          f.append(chunk);
          let pdu: Buffer | null;
          while ((pdu = f.next()) !== null) got.push(pdu.readUInt32BE(4));
        }
        assert.deepEqual(got, [0x15, 0x04, 0x15], `cuts at ${cut1}/${cut2}`);
        assert.equal(f.error, null);
      }
    });

    it('reports an impossible command_length and stops', () => {
      const f = new PduFramer();
      f.append(Buffer.from([0, 0, 0, 15, 0, 0, 0, 0x15]));
      assert.equal(f.next(), null);
      assert.match(String(f.error), /command_length 15/);
      const g = new PduFramer();
      g.append(Buffer.from([0x7f, 0xff, 0xff, 0xff]));
      assert.equal(g.next(), null);
      assert.ok(g.error);
    });
  });

  describe('readSubmit / readBind', () => {
    it('reads what the smpp package writes, keeping short_message raw', () => {
      const udh = Buffer.from([0x05, 0x00, 0x03, 0x01, 0x02, 0x01]);
      const pdu = new smpp.PDU('submit_sm', {
        source_addr_ton: 5, source_addr: 'Shop', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4915112345678',
        esm_class: 0x40, registered_delivery: 1, data_coding: 8,
        short_message: Buffer.concat([udh, Buffer.from('Hi \u00e9', 'utf16le').swap16()]),
      }).toBuffer();
      const f = readSubmit(pdu, false);
      assert.ok(f);
      assert.deepEqual([f.srcTon, f.src, f.dstTon, f.dstNpi, f.dst, f.esmClass, f.registeredDelivery, f.dataCoding], [5, 'Shop', 1, 1, '4915112345678', 0x40, 1, 8]);
      assert.equal(f.message.length, udh.length + 8);
      assert.equal(messageSnippet(f.message, f.esmClass, f.dataCoding), 'Hi \u00e9');
    });

    it('takes the text from message_payload for data_sm and for an empty short_message', () => {
      const data = new smpp.PDU('data_sm', { destination_addr: '1', registered_delivery: 2, data_coding: 0, message_payload: Buffer.from('payload text') }).toBuffer();
      const d = readSubmit(data, true);
      assert.equal(d?.registeredDelivery, 2);
      assert.equal(d?.message.toString(), 'payload text');
      const long = new smpp.PDU('submit_sm', { destination_addr: '1', data_coding: 0, short_message: Buffer.alloc(0), message_payload: Buffer.from('x'.repeat(300)) }).toBuffer();
      assert.equal(readSubmit(long, false)?.message.length, 300);
    });

    it('returns null for bodies that run past their length', () => {
      const pdu = new smpp.PDU('submit_sm', { destination_addr: '123', short_message: Buffer.from('hello'), data_coding: 0 }).toBuffer();
      const cut = Buffer.from(pdu.subarray(0, pdu.length - 2));
      cut.writeUInt32BE(cut.length, 0);
      assert.equal(readSubmit(cut, false), null);
      const badTlv = Buffer.concat([pdu, Buffer.from([0x04, 0x24, 0x00, 0x09, 0x41])]);
      badTlv.writeUInt32BE(badTlv.length, 0);
      assert.equal(readSubmit(badTlv, false), null);
      const bind = new smpp.PDU('bind_transmitter', { system_id: 'abc', password: 'pw' }).toBuffer();
      assert.deepEqual(readBind(bind), { systemId: 'abc', password: 'pw' });
      assert.equal(readBind(bind.subarray(0, 19)), null); // system_id without its NUL
    });
  });

  describe('receipt PDU and text', () => {
    it('builds a deliver_sm the smpp package parses back', () => {
      const text = receiptText('a1b2', '2401020304', '2401020305', 'EXPIRED', 'snippet');
      assert.equal(text, 'id:a1b2 sub:001 dlvrd:000 submit date:2401020304 done date:2401020305 stat:EXPIRED err:002 text:snippet');
      const buf = receiptDeliverSm(9, { srcTon: 1, srcNpi: 1, src: '4915112345678', dstTon: 5, dstNpi: 0, dst: 'Shop', receiptId: 'A1B2', messageState: 3, text });
      const pdu = new smpp.PDU(buf);
      assert.equal(pdu.command, 'deliver_sm');
      assert.equal(pdu.command_length, buf.length);
      assert.equal(pdu.sequence_number, 9);
      assert.deepEqual([pdu.source_addr_ton, pdu.source_addr, pdu.dest_addr_ton, pdu.destination_addr], [1, '4915112345678', 5, 'Shop']);
      assert.equal(pdu.short_message.message, text);
      assert.equal(pdu.receipted_message_id, 'A1B2');
      assert.equal(pdu.message_state, 3);
      assert.equal(receiptDate(Date.UTC(2024, 0, 2, 3, 4, 59)), '2401020304');
    });

    it('turns ids into the receipt forms', () => {
      assert.equal(receiptIdOf('ff', 'hex', 'same'), 'ff');
      assert.equal(receiptIdOf('ff', 'hex', 'decimal'), '255');
      assert.equal(receiptIdOf('255', 'decimal', 'hex-upper-padded'), '00000000000000FF');
      assert.equal(receiptIdOf('00000000-0000-0000-0000-0000000000ff', 'uuid', 'decimal'), '255');
      const gen = new MessageIdGenerator('hex');
      const first = gen.next();
      assert.match(first, /^[a-f][0-9a-f]{7}$/);
      assert.equal(parseInt(gen.next(), 16), parseInt(first, 16) + 1);
    });
  });

  describe('DelayQueue', () => {
    it('runs items in due order with one timer, and clear() drops the rest', async () => {
      const ran: string[] = [];
      const q: DelayQueue<string> = new DelayQueue((item) => {
        ran.push(item);
        if (item === 'b') q.clear(); // clearing from inside a run must stop the batch
      });
      q.push(40, 'c');
      q.push(10, 'a');
      q.push(25, 'b');
      q.push(25, 'b2');
      assert.equal(q.size, 4);
      await new Promise((r) => setTimeout(r, 80));
      assert.deepEqual(ran, ['a', 'b']);
      assert.equal(q.size, 0);
      q.push(0, 'after clear');
      await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(ran, ['a', 'b', 'after clear']);
    });
  });
});
