/**
 * What smpp-send keeps of a msg for its receipts (msg.sent on smpp-dlr): the
 * properties a flow needs to continue, plus the ones the node's "remember"
 * setting names (a dotted name is read as a path: payload.caller). Pure.
 */
export function rememberedOf(msg: Record<string, unknown>, propertyNames: readonly string[], parts: number): Record<string, unknown> {
  const keep: Record<string, unknown> = { correlationId: msg.correlationId, topic: msg.topic, to: msg.to, _msgid: msg._msgid, parts };
  for (const p of propertyNames) {
    const v = p.includes('.')
      ? p.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), msg)
      : msg[p];
    if (v !== undefined) keep[p] = v;
  }
  return keep;
}
