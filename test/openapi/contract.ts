// Checks real responses against the OpenAPI document the server serves, with a JSON Schema validator
// that has nothing to do with the server's own (Hyperjump's OpenAPI 3.1 dialect, not Ajv/TypeBox):
// the status must be documented for the operation, the media type for that status, the body must
// match its schema, and every header must be documented (with a value its schema accepts) and every
// required one present.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validate, type OutputUnit, type Validator } from '@hyperjump/json-schema/openapi-3-1';

type Json = any;

/** What a response can be out of the document by. */
export type Finding = 'status' | 'media type' | 'body' | 'header';

export interface Check {
  operationId: string;
  status: number;
  problems: { kind: Finding; message: string }[];
}

/** Headers of the message framing itself, which the document does not describe (the media type is checked apart). */
const FRAMING = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

/** JSON pointer of a key, as a URI fragment. */
const pointer = (...keys: string[]) => keys.map((k) => `/${encodeURIComponent(k.replace(/~/g, '~0').replace(/\//g, '~1'))}`).join('');

const essence = (mediaType: string) => mediaType.split(';')[0]!.trim().toLowerCase();

/**
 * The document with every object schema that names its properties but says nothing of others
 * closed (additionalProperties: false), so a field the server sends but the document does not
 * name is a finding too.
 */
function closeObjects(node: Json): Json {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const out: Json = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, closeObjects(v)]));
  const open = !('additionalProperties' in out) && !('patternProperties' in out) && !('unevaluatedProperties' in out);
  if (out.type === 'object' && out.properties && typeof out.properties === 'object' && open) out.additionalProperties = false;
  return out;
}

function firstError(output: { valid: boolean; errors?: OutputUnit[] }): string {
  const leaf = (unit: OutputUnit): OutputUnit => (unit.errors?.length ? leaf(unit.errors[0]!) : unit);
  const unit = output.errors?.[0] ? leaf(output.errors[0]) : undefined;
  return unit ? `${unit.instanceLocation || '(root)'} fails ${unit.absoluteKeywordLocation.split('#')[1] ?? unit.keyword}` : 'invalid';
}

export class ResponseContract {
  private readonly dir = mkdtempSync(join(tmpdir(), 'tokens-openapi-'));
  /** Hyperjump reads a file named *.openapi.json as an OpenAPI document. */
  private readonly url: string;
  private readonly validators = new Map<string, Promise<Validator>>();
  readonly checks: Check[] = [];

  constructor(private readonly doc: Json) {
    const file = join(this.dir, 'tokens.openapi.json');
    writeFileSync(file, JSON.stringify(closeObjects(doc)));
    this.url = pathToFileURL(file).href;
  }

  /** Every operation in the document, by its operationId. */
  operationIds(): string[] {
    return Object.values(this.doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap((item) => Object.values(item).map((op) => op.operationId));
  }

  private validator(fragment: string): Promise<Validator> {
    let v = this.validators.get(fragment);
    if (!v) this.validators.set(fragment, (v = validate(`${this.url}#${fragment}`)));
    return v;
  }

  private async valid(fragment: string, value: Json): Promise<string | null> {
    const output = (await this.validator(fragment))(value, 'BASIC');
    return output.valid ? null : firstError(output);
  }

  /** A $ref'd response or header: the pointer of the object itself. */
  private resolve(node: Json, at: string): { node: Json; at: string } {
    if (node && typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
      const keys = node.$ref.slice(2).split('/').map((k: string) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
      return { node: keys.reduce((n: Json, k: string) => n?.[k], this.doc), at: pointer(...keys) };
    }
    return { node, at };
  }

  /** Checks one response (the caller keeps the original; this reads a clone). */
  async check(method: string, schemaPath: string, response: Response): Promise<Check> {
    const text = await response.clone().text();
    const operation = this.doc.paths?.[schemaPath]?.[method.toLowerCase()];
    const check: Check = { operationId: operation?.operationId ?? `${method} ${schemaPath} (not in the document)`, status: response.status, problems: [] };
    this.checks.push(check);
    const problem = (kind: Finding, message: string) => check.problems.push({ kind, message: `${check.operationId} → ${response.status}: ${message}` });
    if (!operation) {
      problem('status', 'no such operation');
      return check;
    }
    const documented = operation.responses?.[String(response.status)];
    if (!documented) {
      problem('status', `status not documented (documented: ${Object.keys(operation.responses ?? {}).join(', ')})`);
      return check;
    }
    const { node: answer, at } = this.resolve(documented, pointer('paths', schemaPath, method.toLowerCase(), 'responses', String(response.status)));

    const documentedHeaders = new Map<string, { name: string; node: Json; at: string }>();
    for (const [name, header] of Object.entries(answer.headers ?? {})) {
      documentedHeaders.set(name.toLowerCase(), { name, ...this.resolve(header, `${at}${pointer('headers', name)}`) });
    }
    for (const [name, value] of response.headers) {
      if (FRAMING.has(name)) continue;
      const header = documentedHeaders.get(name);
      if (!header) {
        problem('header', `header ${name} not documented`);
        continue;
      }
      const wrong = await this.valid(`${header.at}/schema`, value);
      if (wrong) problem('header', `header ${header.name}: "${value}" ${wrong}`);
    }
    for (const [lower, header] of documentedHeaders) {
      if (header.node.required && !response.headers.has(lower)) problem('header', `required header ${header.name} missing`);
    }

    const contentType = response.headers.get('content-type');
    const content = (answer.content ?? {}) as Record<string, Json>;
    if (contentType === null) {
      if (text !== '') problem('media type', 'a body without a Content-Type');
      else if (Object.keys(content).length) problem('media type', `no body, but the document promises ${Object.keys(content).join(', ')}`);
      return check;
    }
    const mediaType = Object.keys(content).find((key) => essence(key) === essence(contentType));
    if (!mediaType) {
      problem('media type', `${contentType} not documented (documented: ${Object.keys(content).join(', ') || 'no body'})`);
      return check;
    }
    let body: Json = text;
    if (/[/+]json$/.test(essence(contentType))) {
      try {
        body = JSON.parse(body);
      } catch {
        problem('body', 'not JSON');
        return check;
      }
    }
    const wrong = await this.valid(`${at}${pointer('content', mediaType, 'schema')}`, body);
    if (wrong) problem('body', wrong);
    return check;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
