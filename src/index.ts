/** The package's module API (the Node-RED nodes are loaded from dist/nodes by Node-RED itself). */
export { GatewayEngine } from './engine/gateway-engine';
export type { StateEvent, GatewayState, Credentials, EngineDeps } from './engine/gateway-engine';
export { SmppError, LOCAL } from './engine/smpp-error';
export { parseGatewayConfig } from './config/gateway-config';
export type { GatewayConfig } from './config/gateway-config';
export { PARAMETERS } from './config/parameters';
export { SmscSimulator } from './simulator';
export { encodeText, decodeByDataCoding, segmentMessage } from './text';
export { parseReceipt, parseReceiptText } from './receipt';
export { statusName } from './smpp/command-status';
