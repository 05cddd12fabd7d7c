/**
 * The flow of the shared-receipt tests (test/shared/receipt-*.test.ts), the
 * same on every instance: gateway gw1 with shareInstances and the Redis
 * correlation store, and HTTP endpoints:
 *  - POST /send ({ to, text, correlationId }): smpp-send, answers msg.smpp and msg.error;
 *  - POST /wait (same body): answered 'queued' at once; the msg goes through an
 *    smpp-send in send-and-wait mode, and where it leaves (delivered, failed,
 *    timed out) is kept: GET /waited;
 *  - GET /dlrs: every smpp-dlr output; GET /status: smpp-control's status
 *    (correlation.pending: the messages this instance waits receipts for).
 * opts.dlr false: the flow has no smpp-dlr node (GET /dlrs answers []).
 */
export function sharedReceiptFlow(gateway: Record<string, unknown>, waitTimeout: number, opts: { dlr?: boolean } = {}): object[] {
  const z = 'tab1';
  const prep = 'const b = msg.payload; msg.to = b.to; msg.correlationId = b.correlationId; msg.payload = b.text; return msg;';
  const keep = (list: string, outcome: string) =>
    `const a = global.get('${list}') || []; a.push({ outcome: '${outcome}', correlationId: msg.correlationId, smpp: msg.smpp, dlr: msg.dlr || null, error: msg.error || null }); global.set('${list}', a); return null;`;
  const list = (name: string) => `msg.payload = global.get('${name}') || []; return msg;`;
  const flow = [
    { id: z, type: 'tab', label: 'shared receipts' },
    { id: 'gw1', type: 'smpp-gateway', shareInstances: true, correlationStore: 'redis', ...gateway },
    { id: 'in1', type: 'http in', z, url: '/send', method: 'post', wires: [['prep']] },
    { id: 'prep', type: 'function', z, func: prep, outputs: 1, wires: [['s1']] },
    { id: 's1', type: 'smpp-send', z, gateway: 'gw1', wires: [['answer'], ['answer']] },
    { id: 'answer', type: 'function', z, func: 'msg.payload = { smpp: msg.smpp, error: msg.error || null, correlationId: msg.correlationId }; return msg;', outputs: 1, wires: [['out1']] },
    { id: 'out1', type: 'http response', z, wires: [] },
    { id: 'in2', type: 'http in', z, url: '/wait', method: 'post', wires: [['prep2']] },
    { id: 'prep2', type: 'function', z, func: prep, outputs: 1, wires: [['queued', 's2']] },
    { id: 'queued', type: 'function', z, func: 'msg.payload = { queued: true }; return msg;', outputs: 1, wires: [['out2']] },
    { id: 'out2', type: 'http response', z, wires: [] },
    { id: 's2', type: 'smpp-send', z, gateway: 'gw1', mode: 'wait', waitTimeout: String(waitTimeout), wires: [['ok'], ['failed'], ['timedout']] },
    { id: 'ok', type: 'function', z, func: keep('waited', 'delivered'), outputs: 1, wires: [[]] },
    { id: 'failed', type: 'function', z, func: keep('waited', 'failed'), outputs: 1, wires: [[]] },
    { id: 'timedout', type: 'function', z, func: keep('waited', 'timed out'), outputs: 1, wires: [[]] },
    { id: 'd1', type: 'smpp-dlr', z, gateway: 'gw1', wires: [['keepdlr']] },
    { id: 'keepdlr', type: 'function', z, func: "const a = global.get('dlrs') || []; a.push({ topic: msg.topic, payload: msg.payload, sent: msg.sent, correlationId: msg.correlationId }); global.set('dlrs', a); return null;", outputs: 1, wires: [[]] },
    { id: 'in3', type: 'http in', z, url: '/dlrs', method: 'get', wires: [['l3']] },
    { id: 'l3', type: 'function', z, func: list('dlrs'), outputs: 1, wires: [['out3']] },
    { id: 'out3', type: 'http response', z, wires: [] },
    { id: 'in4', type: 'http in', z, url: '/waited', method: 'get', wires: [['l4']] },
    { id: 'l4', type: 'function', z, func: list('waited'), outputs: 1, wires: [['out4']] },
    { id: 'out4', type: 'http response', z, wires: [] },
    { id: 'in5', type: 'http in', z, url: '/status', method: 'get', wires: [['t5']] },
    { id: 't5', type: 'function', z, func: "msg.topic = 'status'; return msg;", outputs: 1, wires: [['c5']] },
    { id: 'c5', type: 'smpp-control', z, gateway: 'gw1', events: false, wires: [['out5']] },
    { id: 'out5', type: 'http response', z, wires: [] },
    { id: 'in6', type: 'http in', z, url: '/reset', method: 'post', wires: [['r6']] },
    { id: 'r6', type: 'function', z, func: "global.set('dlrs', []); global.set('waited', []); msg.payload = 'ok'; return msg;", outputs: 1, wires: [['out6']] },
    { id: 'out6', type: 'http response', z, wires: [] },
  ];
  return opts.dlr === false ? flow.filter((n) => n.id !== 'd1') : flow;
}
