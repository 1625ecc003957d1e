// Functions of other SQL dialects (MySQL, SQLite, Oracle, SQL Server) that users type by habit,
// and the spelling that works here, so "Unknown function" can say what to write instead.

const SPELLINGS: Readonly<Record<string, string>> = {
  IFNULL: 'COALESCE(a, b)',
  NVL: 'COALESCE(a, b)',
  DATE_FORMAT: "to_char(ts, 'YYYY-MM-DD')",
  STRFTIME: "to_char(ts, 'YYYY-MM-DD')",
  DATE_SUB: "ts - INTERVAL '1 day'",
  DATE_ADD: "ts + INTERVAL '1 day' (or DATEADD(day, 1, ts))",
  ADDDATE: "ts + INTERVAL '1 day'",
  SUBDATE: "ts - INTERVAL '1 day'",
  UNIX_TIMESTAMP: 'EXTRACT(epoch FROM ts)',
  FROM_UNIXTIME: 'to_timestamp(seconds)',
  CURDATE: 'CURRENT_DATE',
  SYSDATE: 'now()',
  RAND: 'random()',
  GROUP_CONCAT: "string_agg(x, ',')",
  LISTAGG: "string_agg(x, ',')",
  INSTR: 'strpos(s, sub)',
  LOCATE: 'strpos(s, sub)',
  DATETIME: 'x::timestamptz',
  JULIANDAY: 'EXTRACT(epoch FROM ts) / 86400',
  TOTAL: 'SUM(x)',
};

/** `; write …` for a function another dialect has, or '' when there is none. */
export function foreignSpellingHint(name: string): string {
  const spelling = SPELLINGS[name.toUpperCase()];
  return spelling === undefined ? '' : `; write ${spelling}`;
}
