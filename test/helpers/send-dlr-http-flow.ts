/**
 * A flow for tests that run Node-RED as a child process: POST /send
 * ({ to, text, correlationId }) goes through smpp-send and answers with
 * msg.smpp and msg.error; every smpp-dlr output is kept in global context and
 * GET /dlrs answers them. `gateway` is the smpp-gateway node (id gw1).
 */
export function sendDlrHttpFlow(z: string, label: string, gateway: Record<string, unknown>): object[] {
  return [
    { id: z, type: 'tab', label },
    { id: 'gw1', type: 'smpp-gateway', ...gateway },
    { id: 'in1', type: 'http in', z, url: '/send', method: 'post', wires: [['prep']] },
    { id: 'prep', type: 'function', z, func: 'const b = msg.payload; msg.to = b.to; msg.correlationId = b.correlationId; msg.payload = b.text; return msg;', outputs: 1, wires: [['s1']] },
    { id: 's1', type: 'smpp-send', z, gateway: 'gw1', wires: [['answer'], ['answer']] },
    { id: 'answer', type: 'function', z, func: 'msg.payload = { smpp: msg.smpp, error: msg.error || null, correlationId: msg.correlationId }; return msg;', outputs: 1, wires: [['out1']] },
    { id: 'out1', type: 'http response', z, wires: [] },
    { id: 'd1', type: 'smpp-dlr', z, gateway: 'gw1', wires: [['keep']] },
    { id: 'keep', type: 'function', z, func: "const a = global.get('dlrs') || []; a.push({ topic: msg.topic, payload: msg.payload, sent: msg.sent, correlationId: msg.correlationId }); global.set('dlrs', a); return null;", outputs: 1, wires: [[]] },
    { id: 'in2', type: 'http in', z, url: '/dlrs', method: 'get', wires: [['list']] },
    { id: 'list', type: 'function', z, func: "msg.payload = global.get('dlrs') || []; return msg;", outputs: 1, wires: [['out2']] },
    { id: 'out2', type: 'http response', z, wires: [] },
  ];
}
