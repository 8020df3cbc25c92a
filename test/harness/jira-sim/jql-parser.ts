/**
 * A JQL lexer and parser for the subset the simulator evaluates (see `./jql.ts`). It follows Jira's
 * grammar where it matters to a client: case-insensitive keywords, quoted and unquoted values, lists,
 * `AND`/`&&`/`&`, `OR`/`||`/`|`, `NOT`/`!`, `ORDER BY`, reserved characters, and Jira's error
 * messages ("Error in the JQL Query: … (line 1, character N)", characters counted from 1).
 */

export class JqlError extends Error {
  override readonly name = 'JqlError';
}

/** Jira's message prefix for syntax errors. */
const syntax = (message: string, position?: number): JqlError =>
  new JqlError(
    `Error in the JQL Query: ${message}${position === undefined ? '' : ` (line 1, character ${position})`}`,
  );

export type JqlOperator =
  | '='
  | '!='
  | '>'
  | '>='
  | '<'
  | '<='
  | '~'
  | '!~'
  | 'in'
  | 'not in'
  | 'is'
  | 'is not'
  | 'was'
  | 'was not'
  | 'was in'
  | 'was not in'
  | 'changed';

export type JqlValue =
  | { kind: 'value'; text: string; quoted: boolean; position: number }
  | { kind: 'empty'; text: string; position: number }
  | { kind: 'function'; name: string; args: string[]; position: number };

export type JqlOperand = JqlValue | { kind: 'list'; items: JqlValue[]; position: number };

export type JqlClause =
  | { kind: 'and'; clauses: JqlClause[] }
  | { kind: 'or'; clauses: JqlClause[] }
  | { kind: 'not'; clause: JqlClause }
  | {
      kind: 'term';
      /** As written (Jira quotes it back in messages); match case-insensitively. */
      field: string;
      operator: JqlOperator;
      operand: JqlOperand;
      position: number;
    };

export interface JqlOrderBy {
  field: string;
  direction: 'asc' | 'desc';
  /** Whether ASC/DESC was written (otherwise the default, ASC). */
  explicit: boolean;
  position: number;
}

export interface JqlQuery {
  /** `null` for an empty query or one with only `ORDER BY` — Jira calls these "unbounded". */
  where: JqlClause | null;
  orderBy: JqlOrderBy[];
}

// ---------- lexer ----------

type TokenKind = 'word' | 'string' | 'op' | 'lparen' | 'rparen' | 'comma' | 'bang' | 'and' | 'or' | 'eof';

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based character position. */
  position: number;
}

/** Characters Jira reserves: outside quotes they are a syntax error. */
const RESERVED = new Set(['+', '*', '/', '%', '^', '$', '#', '@', '?', ';', '[', ']', '{', '}']);
/** Characters that end an unquoted word. */
const STOP = new Set([' ', '\t', '\n', '\r', '"', "'", '(', ')', ',', '=', '!', '<', '>', '~', '&', '|']);

function reservedError(char: string, position: number): JqlError {
  const escape = `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return syntax(
    `The character '${char}' is a reserved JQL character. You must enclose it in a string or use the escape '${escape}' instead.`,
    position,
  );
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '"': '"',
  "'": "'",
  '\\': '\\',
  ' ': ' ',
};

function readQuoted(input: string, start: number): { text: string; end: number } {
  const quote = input[start];
  let text = '';
  let i = start + 1;
  while (i < input.length) {
    const char = input[i];
    if (char === quote) return { text, end: i + 1 };
    if (char === '\\') {
      const next = input[i + 1] ?? '';
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(input.slice(i + 2, i + 6))) {
        text += String.fromCharCode(parseInt(input.slice(i + 2, i + 6), 16));
        i += 6;
        continue;
      }
      const mapped = ESCAPES[next];
      if (mapped === undefined) {
        throw syntax(`The escape sequence '\\${next}' is illegal in JQL.`, i + 1);
      }
      text += mapped;
      i += 2;
      continue;
    }
    text += char;
    i += 1;
  }
  throw syntax(`The quoted string '${text}' has not been completed.`, start + 1);
}

export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const char = input[i] ?? '';
    const position = i + 1;
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    const two = input.slice(i, i + 2);
    if (char === '"' || char === "'") {
      const { text, end } = readQuoted(input, i);
      tokens.push({ kind: 'string', text, position });
      i = end;
    } else if (char === '(') {
      tokens.push({ kind: 'lparen', text: char, position });
      i += 1;
    } else if (char === ')') {
      tokens.push({ kind: 'rparen', text: char, position });
      i += 1;
    } else if (char === ',') {
      tokens.push({ kind: 'comma', text: char, position });
      i += 1;
    } else if (two === '!=' || two === '!~' || two === '>=' || two === '<=') {
      tokens.push({ kind: 'op', text: two, position });
      i += 2;
    } else if (char === '=' || char === '~' || char === '>' || char === '<') {
      tokens.push({ kind: 'op', text: char, position });
      i += 1;
    } else if (char === '!') {
      tokens.push({ kind: 'bang', text: char, position });
      i += 1;
    } else if (char === '&' || char === '|') {
      const doubled = input[i + 1] === char;
      tokens.push({ kind: char === '&' ? 'and' : 'or', text: doubled ? two : char, position });
      i += doubled ? 2 : 1;
    } else if (RESERVED.has(char)) {
      throw reservedError(char, position);
    } else {
      let end = i;
      // `issue.property[key].path` (Jira's entity property field): the brackets, reserved elsewhere,
      // hold the property key, quoted or not; the token is the field with the key unquoted.
      const property = /^issue\.property\[\s*(?:"([^"]*)"|'([^']*)'|([^\]\s"']*))\s*\]/i.exec(input.slice(i));
      let prefix = '';
      if (property) {
        prefix = `issue.property[${property[1] ?? property[2] ?? property[3] ?? ''}]`;
        end = i + property[0].length;
      }
      const start = end;
      while (end < input.length && !STOP.has(input[end] ?? '') && !/\s/.test(input[end] ?? '')) {
        const inner = input[end] ?? '';
        if (RESERVED.has(inner)) throw reservedError(inner, end + 1);
        end += 1;
      }
      tokens.push({ kind: 'word', text: prefix + input.slice(start, end), position });
      i = end;
    }
  }
  tokens.push({ kind: 'eof', text: '', position: input.length + 1 });
  return tokens;
}

// ---------- parser ----------

const OPERATORS_HINT =
  "The valid operators are '=', '!=', '<', '>', '<=', '>=', '~', '!~', 'IN', 'NOT IN', 'IS' and 'IS NOT'.";

class Parser {
  private index = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  /** "… but got 'x'. (line 1, character N)" or "… before the end of the query." */
  private expected(what: string, token: Token, hint = ''): JqlError {
    const tail = hint ? ` ${hint}` : '';
    if (token.kind === 'eof') return syntax(`Expecting ${what} before the end of the query.${tail}`);
    return syntax(`Expecting ${what} but got '${token.text}'.${tail}`, token.position);
  }

  parseQuery(): JqlQuery {
    let where: JqlClause | null = null;
    if (this.peek().kind !== 'eof' && !this.isKeyword(this.peek(), 'order')) where = this.parseOr();
    const orderBy: JqlOrderBy[] = [];
    if (this.isKeyword(this.peek(), 'order')) {
      this.next();
      const by = this.next();
      if (!this.isKeyword(by, 'by')) throw this.expected("'by'", by);
      for (;;) {
        const field = this.next();
        if (field.kind !== 'word' && field.kind !== 'string') throw this.expected('a field name', field);
        const direction = this.peek();
        const explicit = this.isKeyword(direction, 'asc') || this.isKeyword(direction, 'desc');
        if (explicit) this.next();
        orderBy.push({
          field: field.text,
          direction: explicit && direction.text.toLowerCase() === 'desc' ? 'desc' : 'asc',
          explicit,
          position: field.position,
        });
        if (this.peek().kind !== 'comma') break;
        this.next();
      }
    }
    const rest = this.peek();
    if (rest.kind !== 'eof') {
      throw where && orderBy.length === 0
        ? this.expected("either 'OR' or 'AND'", rest)
        : this.expected('the end of the query', rest);
    }
    return { where, orderBy };
  }

  private parseOr(): JqlClause {
    const clauses = [this.parseAnd()];
    while (this.peek().kind === 'or' || this.isKeyword(this.peek(), 'or')) {
      this.next();
      clauses.push(this.parseAnd());
    }
    return clauses.length === 1 ? (clauses[0] as JqlClause) : { kind: 'or', clauses };
  }

  private parseAnd(): JqlClause {
    const clauses = [this.parseNot()];
    while (this.peek().kind === 'and' || this.isKeyword(this.peek(), 'and')) {
      this.next();
      clauses.push(this.parseNot());
    }
    return clauses.length === 1 ? (clauses[0] as JqlClause) : { kind: 'and', clauses };
  }

  private parseNot(): JqlClause {
    const token = this.peek();
    if (token.kind === 'bang' || this.isKeyword(token, 'not')) {
      this.next();
      return { kind: 'not', clause: this.parseNot() };
    }
    if (token.kind === 'lparen') {
      this.next();
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== 'rparen') throw this.expected("')'", close);
      return inner;
    }
    return this.parseTerm();
  }

  private parseTerm(): JqlClause {
    const field = this.next();
    if (field.kind !== 'word' && field.kind !== 'string') throw this.expected('a field name', field);
    const operator = this.parseOperator();
    const operand = operator === 'changed' ? null : this.parseOperand();
    return {
      kind: 'term',
      field: field.text,
      operator,
      operand: operand ?? { kind: 'empty', text: '', position: field.position },
      position: field.position,
    };
  }

  private parseOperator(): JqlOperator {
    const token = this.next();
    if (token.kind === 'op') return token.text as JqlOperator;
    const word = token.kind === 'word' ? token.text.toLowerCase() : '';
    const nextIs = (keyword: string) => this.isKeyword(this.peek(), keyword);
    if (word === 'in') return 'in';
    if (word === 'not' && nextIs('in')) {
      this.next();
      return 'not in';
    }
    if (word === 'is') {
      if (nextIs('not')) {
        this.next();
        return 'is not';
      }
      return 'is';
    }
    if (word === 'was') {
      if (nextIs('not')) {
        this.next();
        if (nextIs('in')) {
          this.next();
          return 'was not in';
        }
        return 'was not';
      }
      if (nextIs('in')) {
        this.next();
        return 'was in';
      }
      return 'was';
    }
    if (word === 'changed') return 'changed';
    throw this.expected('operator', token, OPERATORS_HINT);
  }

  private parseOperand(): JqlOperand {
    const token = this.peek();
    if (token.kind === 'lparen') {
      this.next();
      const items: JqlValue[] = [];
      if (this.peek().kind === 'rparen') throw this.expected('either a value or function', this.peek());
      for (;;) {
        items.push(this.parseValue());
        const separator = this.next();
        if (separator.kind === 'rparen') break;
        if (separator.kind !== 'comma') throw this.expected("either ',' or ')'", separator);
      }
      return { kind: 'list', items, position: token.position };
    }
    return this.parseValue();
  }

  private parseValue(): JqlValue {
    const token = this.next();
    if (token.kind === 'string') {
      return { kind: 'value', text: token.text, quoted: true, position: token.position };
    }
    if (token.kind !== 'word') {
      throw this.expected('either a value, list or function', token);
    }
    const lower = token.text.toLowerCase();
    if (lower === 'empty' || lower === 'null') {
      return { kind: 'empty', text: token.text, position: token.position };
    }
    if (['and', 'or', 'not', 'in', 'is', 'order'].includes(lower)) {
      throw syntax(
        `Expecting either a value, list or function but got '${token.text}'. You must surround '${token.text}' in quotation marks to use it as a value.`,
        token.position,
      );
    }
    if (this.peek().kind === 'lparen') {
      this.next();
      const args: string[] = [];
      while (this.peek().kind !== 'rparen') {
        const arg = this.next();
        if (arg.kind !== 'word' && arg.kind !== 'string') throw this.expected("either ',' or ')'", arg);
        args.push(arg.text);
        if (this.peek().kind === 'comma') this.next();
      }
      this.next();
      return { kind: 'function', name: token.text, args, position: token.position };
    }
    return { kind: 'value', text: token.text, quoted: false, position: token.position };
  }
}

/** Parses JQL into clauses and ORDER BY; throws `JqlError` with Jira's wording on bad syntax. */
export function parseJql(jql: string): JqlQuery {
  return new Parser(tokenize(jql)).parseQuery();
}
