/**
 * Command-line flags of the smsc-simulator command, parsed into simulator
 * options. Pure apart from reading the TLS files named on the command line.
 * Throws an Error with a one-line message on a bad flag.
 */
import { readFileSync } from 'fs';
import { parseArgs } from 'util';
import { MESSAGE_ID_FORMATS, MessageIdFormat, RECEIPT_ID_FORMATS, ReceiptIdFormat } from './message-ids';
import { isReceiptState, RECEIPT_STATES } from './receipt-format';
import type { SimulatorAccount, SimulatorOptions } from './smsc-simulator';

export const USAGE = `Usage: smsc-simulator [options]

  --host HOST               address to listen on (default 127.0.0.1)
  --port PORT               port (default 2775; 0 = any free port)
  --account ID:PASSWORD     an account that may bind (repeatable; default test:test)
  --accept-any              open-account mode: any system id and password binds
                            (what npm start uses, so the examples run as imported)
  --receipts MODE           always | requested | never (default requested)
  --receipt-delay MS        delay before a receipt (default 100)
  --receipt-state STAT      ${RECEIPT_STATES.join(' | ')} (default DELIVRD)
  --message-id-format F     ${MESSAGE_ID_FORMATS.join(' | ')} (default hex)
  --receipt-id-format F     ${RECEIPT_ID_FORMATS.join(' | ')} (default same)
  --enquire-link MS         send enquire_link to bound sessions every MS (default 0 = never)
  --mo-every MS             send 'hello from the simulator' from +15550001111 to 12345
                            to every bound receiver every MS
  --tls-key FILE            private key (PEM); with --tls-cert serves smpps
  --tls-cert FILE           certificate (PEM)
  --quiet                   print only the ready line
  --control                 read commands on stdin (stats, mo-burst COUNT WINDOW,
                            failure JSON, drop, field JSON, field-mo KIND, help);
                            one answer line each on stdout (field modes: README)
  --help                    this text
`;

export interface CliSettings {
  options: SimulatorOptions;
  moEveryMs: number;
  quiet: boolean;
  help: boolean;
  /** --control: commands on stdin (see cli-control.ts) */
  control: boolean;
}

function nonNegativeInt(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${flag} needs a whole number, not '${value}'`);
  return Number(value);
}

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new Error(`${flag} must be one of ${allowed.join(', ')}, not '${value}'`);
  return value as T;
}

export function parseCliArgs(argv: string[]): CliSettings {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      account: { type: 'string', multiple: true },
      'accept-any': { type: 'boolean' },
      receipts: { type: 'string' },
      'receipt-delay': { type: 'string' },
      'receipt-state': { type: 'string' },
      'message-id-format': { type: 'string' },
      'receipt-id-format': { type: 'string' },
      'enquire-link': { type: 'string' },
      'mo-every': { type: 'string' },
      'tls-key': { type: 'string' },
      'tls-cert': { type: 'string' },
      quiet: { type: 'boolean' },
      control: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });

  const port = nonNegativeInt('--port', values.port, 2775);
  if (port > 65535) throw new Error(`--port must be at most 65535, not ${port}`);

  let accounts: SimulatorAccount[] | undefined;
  if (values['accept-any']) {
    accounts = [];
  } else if (values.account && values.account.length) {
    accounts = values.account.map((spec) => {
      const colon = spec.indexOf(':');
      if (colon <= 0) throw new Error(`--account needs ID:PASSWORD, not '${spec}'`);
      return { systemId: spec.slice(0, colon), password: spec.slice(colon + 1) };
    });
  }

  const receiptState = values['receipt-state'];
  if (receiptState !== undefined && !isReceiptState(receiptState)) {
    throw new Error(`--receipt-state must be one of ${RECEIPT_STATES.join(', ')}, not '${receiptState}'`);
  }

  const keyFile = values['tls-key'];
  const certFile = values['tls-cert'];
  if ((keyFile === undefined) !== (certFile === undefined)) throw new Error('--tls-key and --tls-cert go together');

  const options: SimulatorOptions = {
    host: values.host ?? '127.0.0.1',
    port,
    receipts: oneOf('--receipts', values.receipts, ['always', 'requested', 'never'] as const),
    receiptDelayMs: nonNegativeInt('--receipt-delay', values['receipt-delay'], 100),
    receiptState: receiptState,
    messageIdFormat: oneOf<MessageIdFormat>('--message-id-format', values['message-id-format'], MESSAGE_ID_FORMATS),
    receiptIdFormat: oneOf<ReceiptIdFormat>('--receipt-id-format', values['receipt-id-format'], RECEIPT_ID_FORMATS),
    enquireLinkInterval: nonNegativeInt('--enquire-link', values['enquire-link'], 0),
  };
  if (accounts) options.accounts = accounts;
  if (keyFile !== undefined && certFile !== undefined) {
    options.tls = { key: readFileSync(keyFile), cert: readFileSync(certFile) };
  }
  return {
    options,
    moEveryMs: nonNegativeInt('--mo-every', values['mo-every'], 0),
    quiet: !!values.quiet,
    help: !!values.help,
    control: !!values.control,
  };
}
