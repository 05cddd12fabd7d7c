// The one declaration file for the `smpp` package (0.5.1), which ships no types.
// Only what this project uses is declared.
declare module 'smpp' {
  import { EventEmitter } from 'events';
  import * as net from 'net';

  export class PDU {
    constructor(command: string, options?: Record<string, unknown>);
    constructor(buffer: Buffer);
    command: string;
    command_length: number;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: any;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
    toBuffer(): Buffer;
    static maxLength: number;
    static fromBuffer(buffer: Buffer): PDU | false;
  }

  export class Session extends EventEmitter {
    constructor(options: Record<string, unknown>);
    socket: net.Socket;
    server?: Server;
    send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    [command: string]: any;
  }

  export class Server extends net.Server {
    sessions: Session[];
  }

  export function createServer(options: Record<string, unknown>, listener?: (session: Session) => void): Server;
  export function createServer(listener?: (session: Session) => void): Server;
  export function connect(options: Record<string, unknown>, listener?: () => void): Session;

  export const errors: Record<string, number>;
  export const commands: Record<string, { id: number; params?: Record<string, unknown> }>;
  export const commandsById: Record<number, { command: string }>;
  export const tlvs: Record<string, { id: number }>;
  export const tlvsById: Record<number, { tag: string }>;
  export const consts: Record<string, any>;
}
