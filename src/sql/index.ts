// The SQL front end: text in, typed syntax tree out. Imports nothing else of ours.
export type * from './ast.js';
export { SqlError, positionAt } from './errors.js';
export { tokenize, isReservedWord, type Token, type TokenKind } from './lexer.js';
export { parse, parseScript } from './parser.js';
