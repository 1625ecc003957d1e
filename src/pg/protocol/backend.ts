// What the server sends: one function per backend message, each appending it to a
// MessageWriter. Field layouts follow PostgreSQL's "Message Formats" (protocol 3.0).
import type { MessageWriter } from './writer.js';

/** One column of a RowDescription. */
export interface FieldDescription {
  name: string;
  /** The table's OID and the column's number, or 0 when the column is computed. */
  tableOid: number;
  columnNumber: number;
  typeOid: number;
  /** pg_type.typlen: -1 for variable length. */
  typeSize: number;
  typeModifier: number;
  /** 0 text, 1 binary. */
  format: number;
}

/** ErrorResponse / NoticeResponse fields, by PostgreSQL's field codes. */
export interface ErrorFields {
  severity: 'ERROR' | 'FATAL' | 'PANIC' | 'WARNING' | 'NOTICE' | 'DEBUG' | 'INFO' | 'LOG';
  code: string;
  message: string;
  detail?: string;
  hint?: string;
  /** 1-based character position in the query string. */
  position?: number;
}

export type TransactionStatus = 'I' | 'T' | 'E';

export const backend = {
  authenticationOk(w: MessageWriter): void {
    w.begin('R').int32(0).end();
  },
  authenticationCleartextPassword(w: MessageWriter): void {
    w.begin('R').int32(3).end();
  },
  authenticationSasl(w: MessageWriter, mechanisms: readonly string[]): void {
    w.begin('R').int32(10);
    for (const mechanism of mechanisms) w.cstring(mechanism);
    w.int8(0).end();
  },
  authenticationSaslContinue(w: MessageWriter, data: string): void {
    w.begin('R').int32(11).string(data).end();
  },
  authenticationSaslFinal(w: MessageWriter, data: string): void {
    w.begin('R').int32(12).string(data).end();
  },
  parameterStatus(w: MessageWriter, name: string, value: string): void {
    w.begin('S').cstring(name).cstring(value).end();
  },
  backendKeyData(w: MessageWriter, processId: number, secretKey: number): void {
    w.begin('K').int32(processId).int32(secretKey).end();
  },
  readyForQuery(w: MessageWriter, status: TransactionStatus): void {
    w.begin('Z').int8(status.charCodeAt(0)).end();
  },
  rowDescription(w: MessageWriter, fields: readonly FieldDescription[]): void {
    w.begin('T').int16(fields.length);
    for (const f of fields) {
      w.cstring(f.name).int32(f.tableOid).int16(f.columnNumber).int32(f.typeOid).int16(f.typeSize).int32(f.typeModifier).int16(f.format);
    }
    w.end();
  },
  /** Each value already encoded: a string (text format), bytes (binary) or null. */
  /** One DataRow: each value as `encode[i]` formats it (text or binary), NULL as length -1. */
  dataRow<V>(w: MessageWriter, values: readonly (V | null)[], encode: readonly ((value: V) => string | Uint8Array)[]): void {
    w.begin('D').int16(encode.length);
    for (let i = 0; i < encode.length; i++) {
      const value = values[i] ?? null;
      if (value === null) {
        w.int32(-1);
        continue;
      }
      const bytes = encode[i]!(value);
      if (typeof bytes === 'string') w.sizedString(bytes);
      else w.int32(bytes.length).bytes(bytes);
    }
    w.end();
  },
  commandComplete(w: MessageWriter, tag: string): void {
    w.begin('C').cstring(tag).end();
  },
  emptyQueryResponse(w: MessageWriter): void {
    w.begin('I').end();
  },
  errorResponse(w: MessageWriter, fields: ErrorFields): void {
    writeFields(w, 'E', fields);
  },
  noticeResponse(w: MessageWriter, fields: ErrorFields): void {
    writeFields(w, 'N', fields);
  },
  parseComplete(w: MessageWriter): void {
    w.begin('1').end();
  },
  bindComplete(w: MessageWriter): void {
    w.begin('2').end();
  },
  closeComplete(w: MessageWriter): void {
    w.begin('3').end();
  },
  noData(w: MessageWriter): void {
    w.begin('n').end();
  },
  parameterDescription(w: MessageWriter, typeOids: readonly number[]): void {
    w.begin('t').int16(typeOids.length);
    for (const oid of typeOids) w.int32(oid);
    w.end();
  },
  portalSuspended(w: MessageWriter): void {
    w.begin('s').end();
  },
  /** COPY … TO STDOUT begins: overall format and each column's (0 text). */
  copyOutResponse(w: MessageWriter, columnFormats: readonly number[], format = 0): void {
    w.begin('H').int8(format).int16(columnFormats.length);
    for (const f of columnFormats) w.int16(f);
    w.end();
  },
  copyData(w: MessageWriter, data: string | Uint8Array): void {
    w.begin('d');
    if (typeof data === 'string') w.string(data);
    else w.bytes(data);
    w.end();
  },
  copyDone(w: MessageWriter): void {
    w.begin('c').end();
  },
};

function writeFields(w: MessageWriter, type: 'E' | 'N', fields: ErrorFields): void {
  w.begin(type);
  w.int8(0x53).cstring(fields.severity); // S: severity (localized)
  w.int8(0x56).cstring(fields.severity); // V: severity (never localized)
  w.int8(0x43).cstring(fields.code); // C: SQLSTATE
  w.int8(0x4d).cstring(fields.message); // M
  if (fields.detail !== undefined) w.int8(0x44).cstring(fields.detail); // D
  if (fields.hint !== undefined) w.int8(0x48).cstring(fields.hint); // H
  if (fields.position !== undefined) w.int8(0x50).cstring(String(fields.position)); // P
  w.int8(0).end();
}

/** The single byte answering SSLRequest / GSSENCRequest: 'N', we do not encrypt. */
export const REFUSE_ENCRYPTION = Buffer.from('N');
