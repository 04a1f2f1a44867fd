// Kinds of flags and positionals, each with its parser: a declaration gives both commander's view of
// the flag and the handler's type of its value (see define.ts). Bad values are usage errors naming the flag.
import { UsageError } from './errors.js';
import { compactDuration, parseDuration } from '../input/duration.js';

/**
 * Where shell completion finds values that the command tree cannot list itself: tokens on the server
 * by name (live ones, or only active or suspended ones), its scopes (all, or only the custom ones),
 * the profiles, or files. The scripts ask `tokens __complete SOURCE` (cli/complete.ts) for all but files.
 */
export const VALUE_SOURCES = ['live-tokens', 'active-tokens', 'suspended-tokens', 'scopes', 'custom-scopes', 'profiles', 'files'] as const;
export type ValueSource = (typeof VALUE_SOURCES)[number];

/** A value named <path>, <file> or <dir> in the flags completes as a file path unless declared otherwise. */
function sourceOf(flags: string, completes: ValueSource | undefined): ValueSource | undefined {
  return completes ?? (/<(path|file|dir)>/.test(flags) ? 'files' : undefined);
}

/** One flag: how commander reads it, and how its raw value becomes the handler's value. */
export interface OptionDecl<T> {
  /** commander flags, e.g. "-p, --port <number>" */
  readonly flags: string;
  readonly description: string;
  /** Shown in --help as the default and handed to the parser when the flag is absent. */
  readonly defaultValue?: string;
  /** Fixed values: checked by commander and offered by shell completion. */
  readonly choices?: readonly string[];
  /** May be given several times; each value may also be a comma-separated list. */
  readonly repeatable?: boolean;
  /** Environment variable that supplies the value when the flag is absent (read by commander). */
  readonly env?: string;
  readonly hidden?: boolean;
  /** Where shell completion finds its values (besides `choices`). */
  readonly completes?: ValueSource;
  /** commander's value (a string, true, a string[] for repeatable flags, or undefined) → the handler's. */
  parse(raw: unknown): T;
}

/** One positional argument, named: the handler gets it under its key. */
interface ArgumentDecl<T> {
  readonly description: string;
  readonly required: boolean;
  readonly variadic: boolean;
  /** Fixed values: checked by commander and offered by shell completion. */
  readonly choices?: readonly string[];
  /** Where shell completion finds its values (besides `choices`). */
  readonly completes?: ValueSource;
  /** Only carries the type; commander hands the value over as is. */
  readonly _type?: T;
}

export type OptionDecls = Record<string, OptionDecl<unknown>>;
export type ArgumentDecls = Record<string, ArgumentDecl<unknown>>;
export type OptionValues<O extends OptionDecls> = { [K in keyof O]: O[K] extends OptionDecl<infer T> ? T : never };
export type ArgumentValues<A extends ArgumentDecls> = { [K in keyof A]: A[K] extends ArgumentDecl<infer T> ? T : never };

/** The long flag, for messages: "--limit". */
function flagName(decl: Pick<OptionDecl<unknown>, 'flags'>): string {
  return /--[A-Za-z0-9-]+/.exec(decl.flags)?.[0] ?? decl.flags;
}

interface Extra {
  env?: string;
  hidden?: boolean;
  completes?: ValueSource;
}
interface WithDefault {
  default: string;
}
/** A flag with a default always has a value; one without may be undefined. */
type Maybe<E, T> = E extends WithDefault ? T : T | undefined;

function valued<T>(flags: string, description: string, extra: Extra & Partial<WithDefault>, convert: (text: string, flag: string) => T, more: Partial<OptionDecl<T>> = {}): OptionDecl<T | undefined> {
  const flag = flagName({ flags });
  return {
    flags,
    description,
    defaultValue: extra.default,
    env: extra.env,
    hidden: extra.hidden,
    completes: sourceOf(flags, extra.completes),
    ...more,
    parse: (raw) => (raw === undefined ? undefined : convert(String(raw), flag)),
  };
}

/** A switch: true when given. */
export function flag(flags: string, description: string, extra: Extra = {}): OptionDecl<boolean> {
  return { flags, description, env: extra.env, hidden: extra.hidden, parse: (raw) => Boolean(raw) };
}

export function text<E extends Extra & Partial<WithDefault> = {}>(flags: string, description: string, extra?: E): OptionDecl<Maybe<E, string>> {
  return valued(flags, description, extra ?? {}, (value) => value) as OptionDecl<Maybe<E, string>>;
}

/** One of fixed values (checked by commander, offered by completion). */
export function choice<const C extends readonly string[], E extends Extra & Partial<WithDefault> = {}>(flags: string, choices: C, description: string, extra?: E): OptionDecl<Maybe<E, C[number]>> {
  return valued(flags, description, extra ?? {}, (value) => value as C[number], { choices }) as OptionDecl<Maybe<E, C[number]>>;
}

/**
 * A list: repeat the flag or comma-separate its values (or, with repeatable: false, one
 * comma-separated value). Undefined when not given.
 */
export function list<const C extends readonly string[] = readonly string[]>(
  flags: string,
  description: string,
  extra: Extra & { choices?: C; repeatable?: boolean } = {},
): OptionDecl<C[number][] | undefined> {
  const repeatable = extra.repeatable ?? true;
  return {
    flags,
    description,
    env: extra.env,
    hidden: extra.hidden,
    choices: extra.choices,
    completes: sourceOf(flags, extra.completes),
    repeatable,
    // Repeatable values arrive as string[] (commander collects them, checking choices); the other kind as one string.
    parse: (raw) => (raw === undefined ? undefined : repeatable ? (raw as string[]) : splitList(String(raw))),
  };
}

function splitList(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** A value with its own parser, e.g. a rate limit; `convert` throws a UsageError naming the flag. */
export function parsed<T, E extends Extra & Partial<WithDefault> = {}>(flags: string, description: string, convert: (text: string, flag: string) => T, extra?: E): OptionDecl<Maybe<E, T>> {
  return valued(flags, description, extra ?? {}, convert) as OptionDecl<Maybe<E, T>>;
}

/** A whole number within bounds. */
export function integer<E extends Extra & Partial<WithDefault> = {}>(flags: string, description: string, bounds: { min: number; max?: number }, extra?: E): OptionDecl<Maybe<E, number>> {
  const { min, max } = bounds;
  const wanted = max !== undefined ? `a number from ${min} to ${max}` : min === 1 ? 'a positive whole number' : `a whole number of at least ${min}`;
  return valued(flags, description, extra ?? {}, (value, flag) => {
    const n = Number(value.trim());
    if (!/^\d+$/.test(value.trim()) || n < min || (max !== undefined && n > max)) throw new UsageError(`${flag} must be ${wanted}, not "${value}"`);
    return n;
  }) as OptionDecl<Maybe<E, number>>;
}

/** A duration (90d, 12h, 1d12h) in seconds, within bounds (in seconds); `zero`: a bare "0" is accepted too. */
export function duration<E extends Extra & Partial<WithDefault> = {}>(
  flags: string,
  description: string,
  extra?: E & { zero?: boolean; minSeconds?: number; maxSeconds?: number },
): OptionDecl<Maybe<E, number>> {
  const { zero, minSeconds, maxSeconds } = extra ?? {};
  return valued(flags, description, extra ?? {}, (value, flag) => {
    const seconds = zero && value.trim() === '0' ? 0 : parseDuration(value, flag);
    if (minSeconds !== undefined && seconds < minSeconds) throw new UsageError(`${flag} must be at least ${compactDuration(minSeconds)}`);
    if (maxSeconds !== undefined && seconds > maxSeconds) throw new UsageError(`${flag} can be at most ${compactDuration(maxSeconds)}`);
    return seconds;
  }) as OptionDecl<Maybe<E, number>>;
}

/** A required positional. */
export function argument<const C extends readonly string[] = readonly string[]>(
  description: string,
  extra: { choices?: C; completes?: ValueSource } = {},
): ArgumentDecl<string extends C[number] ? string : C[number]> {
  return { description, required: true, variadic: false, choices: extra.choices, completes: extra.completes };
}

/** A positional that may be left out. */
export function optionalArgument(description: string, extra: { completes?: ValueSource } = {}): ArgumentDecl<string | undefined> {
  return { description, required: false, variadic: false, completes: extra.completes };
}

/** Any number of positionals (at least one when required). */
export function variadic(description: string, extra: { required?: boolean; completes?: ValueSource } = {}): ArgumentDecl<string[]> {
  return { description, required: Boolean(extra.required), variadic: true, completes: extra.completes };
}
