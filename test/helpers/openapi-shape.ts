import ts from 'typescript';

/** The part of a JSON schema (as Fastify serves it in /openapi.json) that a shape check reads. */
export interface JsonSchema {
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
}

/**
 * What is wrong with reading an answer of `schema` as the TypeScript `type`: a field the type reads that
 * the schema does not declare, a field the type takes as always there that the schema makes optional,
 * or a different kind of value (string, number, boolean, array, object). Empty when the type fits.
 * Example: `shapeErrors(checker, sizeType, { type: 'object', properties: { size: { type: 'string' } } }, 'Size')`
 * -> `['Size.size: the console reads a number, the API answers string']`.
 */
export function shapeErrors(
  checker: ts.TypeChecker,
  type: ts.Type,
  schema: JsonSchema,
  at: string,
): string[] {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) {
    const each = variants.map((v) => shapeErrors(checker, type, v, at));
    return each.some((e) => e.length === 0) ? [] : (each[0] ?? []);
  }
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return [];
  const present = nonNull(checker, type);
  if (present === undefined) return [];
  if (present.isUnion()) {
    // a union of literals ('running' | 'failed') is its base kind; other unions: each member must fit
    const errors = present.types.flatMap((t) => shapeErrors(checker, t, schema, at));
    return errors;
  }
  const kind = kindOf(checker, present);
  const declared = kindsOf(schema);
  if (declared.length > 0 && kind !== 'unknown' && !declared.includes(kind))
    return [`${at}: the console reads ${article(kind)}, the API answers ${declared.join(' or ')}`];
  if (kind === 'array') {
    const element = checker.getIndexTypeOfType(present, ts.IndexKind.Number);
    return element && schema.items ? shapeErrors(checker, element, schema.items, `${at}[]`) : [];
  }
  if (kind === 'object') return objectErrors(checker, present, schema, at);
  return [];
}

function objectErrors(checker: ts.TypeChecker, type: ts.Type, schema: JsonSchema, at: string): string[] {
  const properties = schema.properties;
  if (properties === undefined) return [];
  const required = new Set(schema.required ?? []);
  const errors: string[] = [];
  for (const symbol of checker.getPropertiesOfType(type)) {
    const name = symbol.getName();
    const field = properties[name];
    const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
    if (field === undefined) {
      if (schema.additionalProperties === undefined || schema.additionalProperties === false)
        errors.push(`${at}.${name}: the console reads a field the API does not declare`);
      continue;
    }
    if (!optional && !required.has(name))
      errors.push(`${at}.${name}: the console takes it as always there, the API may leave it out`);
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (declaration === undefined) continue;
    const fieldType = checker.getTypeOfSymbolAtLocation(symbol, declaration);
    errors.push(...shapeErrors(checker, fieldType, field, `${at}.${name}`));
  }
  return errors;
}

/** The type without `null` and `undefined`; undefined when nothing else is left. */
function nonNull(checker: ts.TypeChecker, type: ts.Type): ts.Type | undefined {
  if (!type.isUnion()) return type.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined) ? undefined : type;
  const rest = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
  if (rest.length === 0) return undefined;
  if (rest.every((t) => t.flags & ts.TypeFlags.StringLike)) return checker.getStringType();
  if (rest.every((t) => t.flags & ts.TypeFlags.NumberLike)) return checker.getNumberType();
  if (rest.every((t) => t.flags & ts.TypeFlags.BooleanLike)) return checker.getBooleanType();
  return rest.length === 1 ? rest[0] : type;
}

type Kind = 'string' | 'number' | 'boolean' | 'array' | 'object' | 'unknown';

function kindOf(checker: ts.TypeChecker, type: ts.Type): Kind {
  if (type.flags & ts.TypeFlags.StringLike) return 'string';
  if (type.flags & ts.TypeFlags.NumberLike) return 'number';
  if (type.flags & ts.TypeFlags.BooleanLike) return 'boolean';
  if (checker.isArrayType(type) || checker.isTupleType(type)) return 'array';
  if (type.flags & ts.TypeFlags.Object) return 'object';
  return 'unknown';
}

function kindsOf(schema: JsonSchema): Kind[] {
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.flatMap((t): Kind[] => {
    if (t === 'integer' || t === 'number') return ['number'];
    if (t === 'string' || t === 'boolean' || t === 'array' || t === 'object') return [t];
    return [];
  });
}

function article(kind: Kind): string {
  return kind === 'array' || kind === 'object' ? `an ${kind}` : `a ${kind}`;
}
