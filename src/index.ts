/** The package's module API (the Node-RED nodes are loaded from dist/nodes by Node-RED itself). */
export { LinkSupervisor } from './engine/link-supervisor';
export { createGateway } from './engine/create-gateway';
export type { EngineDeps } from './engine/link-supervisor';
export type { StateEvent, GatewayState, Credentials, GatewayLike, InboundRequest } from './engine/engine-api';
export { SmppError, LOCAL } from './smpp/smpp-error';
export { parseGatewayConfig } from './config/gateway-config';
export type { GatewayConfig } from './config/gateway-config';
export { PARAMETERS } from './config/parameters';
export { SmscSimulator } from './simulator';
export { encodeText, decodeByDataCoding, segmentMessage } from './text';
export { parseReceipt, parseReceiptText } from './receipt';
export { statusName } from './smpp/command-status';
