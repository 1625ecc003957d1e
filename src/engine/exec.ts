// `EXEC[UTE] Name @P = v, …`: a stored procedure of the catalog. The procedure, each argument's
// name and type, and the required arguments are checked while planning, so a bad call sends
// nothing. The result set is what the procedure returns.

import type { ExecNode } from '../sql/ast.js';
import { SqlError } from '../sql/errors.js';
import { bindExpr, statementValues } from './binder.js';
import { declareParameterType } from './params.js';
import { suggestionSuffix } from './names.js';
import type { WritePlan } from './plan-types.js';
import type { PlanEnv } from './planner.js';
import type { ProcedureDef, SqlValue } from './table.js';
import { coerceToType, formatSqlValue } from './values.js';
import { toStatementError } from './write-support.js';

export function planExec(stmt: ExecNode, env: PlanEnv): WritePlan {
  const { sql, catalog } = env;
  const procedures = catalog.procedures?.() ?? [];
  const call = catalog.callProcedure?.bind(catalog);
  const lower = stmt.procedure.toLowerCase();
  const def = procedures.find((p) => p.name.toLowerCase() === lower);
  if (!def || !call) {
    const names = procedures.map((p) => p.name);
    throw new SqlError(`Unknown stored procedure ${stmt.procedure}${suggestionSuffix(stmt.procedure, names)}`, sql, stmt.procedurePos);
  }
  const args = bindArguments(stmt, def, env);
  return {
    kind: 'write',
    columns: def.resultColumns.map((c) => ({ name: c.name, type: c.type })),
    async execute(ctx) {
      let result;
      try {
        result = await call(def.name, args, ctx);
      } catch (error) {
        // An argument the procedure refuses before sending anything ('' for a required id) is a SqlError at that argument.
        throw toStatementError(error, stmt.args.map((a) => ({ name: a.name, pos: a.value.pos })), sql, stmt.procedurePos);
      }
      return { rowsAffected: result.rows.length, rows: result.rows };
    },
    explain: () => [`Execute ${def.name}(${Object.entries(args).map(([name, value]) => `${name} = ${formatSqlValue(value)}`).join(', ')})`],
  };
}

function bindArguments(stmt: ExecNode, def: ProcedureDef, env: PlanEnv): Record<string, SqlValue> {
  const { sql } = env;
  const args: Record<string, SqlValue> = {};
  /** Arguments given as parameters while the statement is described: their values come later. */
  const awaited = new Set<string>();
  for (const arg of stmt.args) {
    const parameter = def.parameters.find((p) => p.name.toLowerCase() === arg.name.toLowerCase());
    if (!parameter) {
      const names = def.parameters.map((p) => p.name);
      throw new SqlError(`${def.name} has no parameter ${arg.name}${suggestionSuffix(arg.name, names)}`, sql, arg.pos);
    }
    if (parameter.name in args) throw new SqlError(`Parameter ${parameter.name} is given more than once`, sql, arg.pos);
    declareParameterType(arg.value, parameter.type, env.params);
    const bound = bindExpr(arg.value, { sql, params: env.params, scope: null, aggregates: 'INSERT', ...statementValues(env) });
    if (bound.kind !== 'const') throw new SqlError('Procedure arguments must be constants or parameters', sql, arg.value.pos);
    if (bound.param !== undefined) awaited.add(parameter.name);
    const value = coerceToType(bound.value, parameter.type, 'store');
    if (value === undefined) {
      throw new SqlError(`${formatSqlValue(bound.value)} is not a valid ${parameter.type} (parameter ${parameter.name})`, sql, arg.value.pos);
    }
    args[parameter.name] = value;
  }
  const missing = def.parameters.filter((p) => p.required && !awaited.has(p.name) && (args[p.name] === undefined || args[p.name] === null));
  if (missing.length > 0) {
    const list = missing.map((p) => p.name).join(', ');
    throw new SqlError(`${def.name} requires ${list}: EXEC ${def.name} ${missing.map((p) => `@${p.name} = …`).join(', ')}`, sql, stmt.procedurePos);
  }
  return args;
}
