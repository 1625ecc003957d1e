// The wire server's parts on their own: framing (frames cut across chunks, the startup phase,
// message layouts), value formats (timestamptz text, numeric binary, parameters read from
// text), statement splitting, COPY options and lines, SCRAM-SHA-256 and settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import { MessageWriter } from '../src/pg/protocol/writer.js';
import { backend } from '../src/pg/protocol/backend.js';
import { decodeMessage, decodeStartup, FrameReader, ProtocolViolation } from '../src/pg/protocol/frontend.js';
import { BadValue, decodeBinary, decodeNumeric, decodeText, encodeBinary, encodeNumeric, encodeText, floatText, plainNumber } from '../src/pg/protocol/values.js';
import { OID } from '../src/pg/protocol/types.js';
import { Numeric } from '../src/engine/numeric.js';
import { formatTimestamptz, parseTimestamp, timeZoneNamed, UTC } from '../src/pg/protocol/time.js';
import { splitStatements, withoutPublicSchema } from '../src/pg/sql-text.js';
import { copyLine, parseCopy } from '../src/pg/copy.js';
import { makeScramSecret, PasswordMismatch, ScramExchange } from '../src/pg/scram.js';
import { Settings } from '../src/pg/settings.js';

test('frames: startup packets without a type byte, then typed messages, cut anywhere across chunks', () => {
  const reader = new FrameReader();
  const startup = Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from([0, 3, 0, 0]), Buffer.from('user\0ann\0database\0stripe\0\0')]);
  startup.writeInt32BE(startup.length, 0);
  const query = new MessageWriter().begin('Q').cstring('SELECT 1').end().take();
  const all = Buffer.concat([startup, query]);
  for (let i = 0; i < all.length; i++) reader.push(all.subarray(i, i + 1));
  const first = reader.next()!;
  assert.deepEqual(decodeStartup(first.body), { kind: 'startup', parameters: { user: 'ann', database: 'stripe' } });
  reader.startupPhase = false;
  const second = reader.next()!;
  assert.deepEqual(decodeMessage(second.type!, second.body), { kind: 'query', sql: 'SELECT 1' });
  assert.equal(reader.next(), undefined);
  const ssl = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
  assert.deepEqual(decodeStartup(ssl.subarray(4)), { kind: 'ssl' });
  const bad = new FrameReader();
  bad.startupPhase = false;
  bad.push(Buffer.from([0x51, 0, 0, 0, 1]));
  assert.throws(() => bad.next(), ProtocolViolation);
});

test('Bind: parameter formats, NULLs, result formats', () => {
  const w = new MessageWriter().begin('B').cstring('p1').cstring('s1').int16(2).int16(0).int16(1);
  w.int16(3).int32(2).string('42').int32(-1).int32(4).int32(7);
  w.int16(1).int16(1).end();
  const bytes = w.take();
  const message = decodeMessage(bytes[0]!, bytes.subarray(5));
  assert.deepEqual(message, {
    kind: 'bind', portal: 'p1', statement: 's1', parameterFormats: [0, 1],
    values: [Buffer.from('42'), null, Buffer.from([0, 0, 0, 7])], resultFormats: [1],
  });
});

test('backend messages: RowDescription and ErrorResponse layouts', () => {
  const w = new MessageWriter();
  backend.rowDescription(w, [{ name: 'Id', tableOid: 0, columnNumber: 0, typeOid: 25, typeSize: -1, typeModifier: -1, format: 0 }]);
  const row = w.take();
  assert.equal(row.toString('latin1', 0, 1), 'T');
  assert.equal(row.readInt32BE(1), row.length - 1);
  assert.equal(row.readInt16BE(5), 1);
  assert.equal(row.toString('utf8', 7, 9), 'Id');
  assert.equal(row.readInt32BE(10 + 4 + 2), 25);
  backend.errorResponse(w, { severity: 'ERROR', code: '42703', message: 'no', position: 8 });
  assert.equal(w.take().toString('latin1'), 'E\0\0\0\x21SERROR\0VERROR\0C42703\0Mno\0P8\0\0');
});

test('timestamptz prints as PostgreSQL does, in the session zone; text timestamps parse in it', () => {
  const at = new Date('2024-01-18T02:16:47.250Z');
  assert.equal(formatTimestamptz(at, UTC), '2024-01-18 02:16:47.25+00');
  assert.equal(formatTimestamptz(at, timeZoneNamed('Asia/Kolkata')!), '2024-01-18 07:46:47.25+05:30');
  assert.equal(formatTimestamptz(new Date('2024-07-01T12:00:00Z'), timeZoneNamed('America/New_York')!), '2024-07-01 08:00:00-04');
  assert.equal(parseTimestamp('2024-01-18 02:16:47.123456+01', UTC)!.toISOString(), '2024-01-18T01:16:47.123Z');
  assert.equal(parseTimestamp('2024-01-18T02:16:47Z', UTC)!.toISOString(), '2024-01-18T02:16:47.000Z');
  assert.equal(parseTimestamp('2024-01-18', timeZoneNamed('America/New_York'))!.toISOString(), '2024-01-18T05:00:00.000Z');
  assert.equal(parseTimestamp('2024-02-31', UTC), undefined);
  assert.equal(timeZoneNamed('Mars/Olympus'), undefined);
});

test('numbers: no exponents where PostgreSQL prints none; numeric binary round trips', () => {
  assert.equal(plainNumber(1e21), '1000000000000000000000');
  assert.equal(plainNumber(1.5e-7), '0.00000015');
  assert.equal(floatText(1e-7), '1e-07');
  assert.equal(floatText(0.1 + 0.2), '0.30000000000000004');
  assert.equal(encodeText(true, OID.bool, UTC), 't');
  for (const text of ['0', '1', '-1.5', '12345.6789', '0.0001', '100000000', '-0.00012', '99999999.99990000']) {
    assert.equal(decodeNumeric(encodeNumeric(text)), text.replace(/^-?0\.0+$/, '0'), text);
  }
  assert.deepEqual([...encodeNumeric('12345.6789')], [0, 3, 0, 1, 0, 0, 0, 4, 0, 1, 0x09, 0x29, 0x1a, 0x85]);
  assert.equal(decodeBinary(encodeBinary(new Date('2024-01-18T02:16:47.25Z'), OID.timestamptz), OID.timestamptz) instanceof Date, true);
  assert.equal((decodeBinary(encodeBinary(new Date('2024-01-18T02:16:47.25Z'), OID.timestamptz), OID.timestamptz) as Date).toISOString(), '2024-01-18T02:16:47.250Z');
  assert.equal(decodeBinary(encodeBinary(-5, OID.int8), OID.int8), -5);
  assert.throws(() => encodeBinary(2 ** 31, OID.int4), (e: BadValue) => e.code === '22003');
});

test('exact numbers on the wire: numeric with every digit and its scale, bigint past 2^53, in text and binary', () => {
  const big = Numeric.parse('-12345678901234567890.1234567890')!;
  assert.equal(encodeText(big, OID.numeric, UTC), '-12345678901234567890.1234567890');
  // Binary: base-10000 digits from the point, the display scale (10) kept for the trailing zero.
  const binary = encodeBinary(big, OID.numeric);
  assert.deepEqual([...binary.subarray(0, 8)], [0, 8, 0, 4, 0x40, 0, 0, 10]);
  assert.equal(decodeNumeric(binary), '-12345678901234567890.1234567890');
  assert.equal(decodeBinary(binary, OID.numeric), '-12345678901234567890.1234567890');
  assert.equal(encodeText(9007199254740993n, OID.int8, UTC), '9007199254740993');
  assert.equal(decodeBinary(encodeBinary(9223372036854775807n, OID.int8), OID.int8), 9223372036854775807n);
  // Parameters: a numeric's text is passed on whole; an int8 past 2^53 as a bigint, past 2^63 refused.
  assert.equal(decodeText(' 0.10000000000000000001 ', 'numeric', UTC), '0.10000000000000000001');
  assert.equal(decodeText('9223372036854775807', 'integer', UTC), 9223372036854775807n);
  assert.throws(() => decodeText('9223372036854775808', 'integer', UTC, 'bigint'), (e: BadValue) => e.code === '22003');
  assert.throws(() => decodeText('1.2.3', 'numeric', UTC, 'numeric'), (e: BadValue) => e.code === '22P02');
});

test('dates: text is the day alone; binary is days since 2000-01-01, before it negative', () => {
  assert.equal(encodeText(new Date('2024-03-01T00:00:00Z'), OID.date, timeZoneNamed('America/New_York')!), '2024-03-01');
  assert.deepEqual([...encodeBinary(new Date('2024-03-01T00:00:00Z'), OID.date)], [0, 0, 0x22, 0x7a]);
  assert.deepEqual([...encodeBinary(new Date('1999-12-31T00:00:00Z'), OID.date)], [0xff, 0xff, 0xff, 0xff]);
  assert.equal((decodeBinary(encodeBinary(new Date('2024-03-01T00:00:00Z'), OID.date), OID.date) as Date).toISOString(), '2024-03-01T00:00:00.000Z');
});

test('parameters sent as text are read by the type the statement gave them', () => {
  assert.equal(decodeText(' 42 ', 'integer', UTC), 42);
  assert.equal(decodeText('2.5e1', 'number', UTC), 25);
  assert.equal(decodeText('yes', 'boolean', UTC), true);
  assert.equal(decodeText('off', 'boolean', UTC), false);
  assert.equal((decodeText('2024-01-18 02:16:47+00', 'timestamp', UTC) as Date).toISOString(), '2024-01-18T02:16:47.000Z');
  assert.throws(() => decodeText('abc', 'integer', UTC, 'integer'), (e: BadValue) => e.code === '22P02' && e.message === 'invalid input syntax for type integer: "abc"');
});

test('a query string splits into statements; quotes, dollar quotes, comments and parentheses stay whole', () => {
  const sql = "SELECT ';' AS a; -- one; two\nSELECT $$x;y$$, E'\\';' /* ; */; (SELECT 1; ) ;; ";
  assert.deepEqual(
    splitStatements(sql).map((s) => s.text.trim()),
    ["SELECT ';' AS a", "-- one; two\nSELECT $$x;y$$, E'\\';' /* ; */", '(SELECT 1; )'],
  );
  assert.equal(sql.slice(splitStatements(sql)[1]!.start).startsWith(' -- one'), true);
  assert.deepEqual(splitStatements(' -- nothing\n ; '), []);
  assert.equal(withoutPublicSchema('SELECT "public"."Customers"."Id", \'public.x\' FROM public.customers'), 'SELECT          "Customers"."Id", \'public.x\' FROM        customers');
});

test('COPY: options in both spellings; text and CSV lines as PostgreSQL writes them', () => {
  const modern = parseCopy('COPY (SELECT 1) TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER \';\')')!;
  assert.equal(modern.query, 'SELECT 1');
  assert.deepEqual(modern.options, { format: 'csv', header: true, delimiter: ';', null: '', quote: '"', escape: '"', forceQuote: false });
  const legacy = parseCopy('copy ( select a from t ) to stdout csv header null \'-\'')!;
  assert.deepEqual([legacy.options.format, legacy.options.header, legacy.options.null, legacy.options.delimiter], ['csv', true, '-', ',']);
  assert.equal(parseCopy('COPY Customers (Id, Email) TO STDOUT')!.query, 'SELECT Id, Email FROM Customers');
  assert.throws(() => parseCopy('COPY t FROM STDIN'), /COPY FROM is not supported/);
  assert.equal(parseCopy('SELECT 1'), undefined);
  assert.equal(copyLine(['a,b', 'say "hi"', '', null], modern.options.delimiter === ';' ? { ...modern.options, delimiter: ',' } : modern.options), '"a,b","say ""hi""","",\n');
  assert.equal(copyLine(['a\tb\\c\nd', null], parseCopy('COPY (SELECT 1) TO STDOUT')!.options), 'a\\tb\\\\c\\nd\t\\N\n');
});

test('SCRAM-SHA-256: the right proof gets the server signature, a wrong password is refused', () => {
  const secret = makeScramSecret('pencil');
  const client = (password: string) => {
    const exchange = new ScramExchange(secret);
    const clientFirstBare = 'n=,r=rOprNGfwEbeRWgbNEkqO';
    const serverFirst = exchange.start(`n,,${clientFirstBare}`);
    const nonce = /r=([^,]+)/.exec(serverFirst)![1]!;
    assert.ok(nonce.startsWith('rOprNGfwEbeRWgbNEkqO'));
    const salt = Buffer.from(/s=([^,]+)/.exec(serverFirst)![1]!, 'base64');
    const salted = pbkdf2Sync(password, salt, Number(/i=(\d+)/.exec(serverFirst)![1]), 32, 'sha256');
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const storedKey = createHash('sha256').update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac('sha256', storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
    const serverKey = createHmac('sha256', salted).update('Server Key').digest();
    return { final: () => exchange.finish(`${withoutProof},p=${proof.toString('base64')}`), expected: `v=${createHmac('sha256', serverKey).update(authMessage).digest('base64')}` };
  };
  const right = client('pencil');
  assert.equal(right.final(), right.expected);
  assert.throws(() => client('pen').final(), PasswordMismatch);
  assert.throws(() => new ScramExchange(secret).start('p=tls-server-end-point,,n=,r=abc'), /channel binding/);
});

test('settings: SET / SHOW / RESET, reported ones, units and refusals', () => {
  const s = new Settings('1.2.3');
  assert.equal(s.get('server_version'), '16.0 (stripe-sql 1.2.3)');
  assert.equal(s.set('timezone', 'Europe/Paris'), 'TimeZone');
  assert.equal(s.get('TIMEZONE'), 'Europe/Paris');
  assert.equal(s.timeZone.offsetMinutes(new Date('2024-01-01T00:00:00Z')), 60);
  assert.equal(s.set('statement_timeout', '2s'), undefined);
  assert.equal(s.statementTimeoutMs, 2000);
  assert.equal(s.set('DateStyle', 'iso, dmy'), 'DateStyle');
  assert.equal(s.get('datestyle'), 'ISO, DMY');
  assert.throws(() => s.set('DateStyle', 'German'), /ISO style/);
  assert.throws(() => s.set('client_encoding', 'LATIN1'), /UTF8 only/);
  assert.throws(() => s.set('server_version', '1'), /cannot be changed/);
  assert.throws(() => s.set('no_such_thing', '1'), /unrecognized configuration parameter/);
  assert.equal(s.set('myapp.tenant', '7'), undefined);
  assert.deepEqual(s.reset().sort(), ['DateStyle', 'TimeZone']);
  assert.equal(s.get('TimeZone'), 'UTC');
});
