// The fields of a token, for "+ New token" and for editing one: name, description, scopes from the
// catalog (those the session cannot grant disabled, with why), expiry presets, CIDRs, audiences and
// a rate limit. Turns the draft into the API's request bodies.
import { useEffect, useState } from 'preact/hooks';
import type { CreateTokenBody, PatchTokenBody, Scope, ScopeListResponse, Token } from '../../shared/schemas.js';
import { api, messageOf } from '../api.js';
import { ErrorNote, Field } from '../components/ui.js';
import { expiryFrom, listOf } from '../format.js';
import { abilities, useSession } from '../session.js';

export interface TokenDraft {
  name: string;
  description: string;
  scopes: string[];
  /** Days ("30", "90", "365"), "never", "date", or "keep" (editing). */
  expiry: string;
  expiryDate: string;
  cidrs: string;
  audiences: string;
  rateRequests: string;
  ratePerSeconds: string;
}

export function draftOf(token?: Token): TokenDraft {
  return {
    name: token?.name ?? '',
    description: token?.description ?? '',
    scopes: token ? [...token.scopes] : [],
    expiry: token ? 'keep' : '90',
    expiryDate: '',
    cidrs: token?.allowed_cidrs.join('\n') ?? '',
    audiences: token?.audiences.join('\n') ?? '',
    rateRequests: token?.rate_limit ? String(token.rate_limit.requests) : '',
    ratePerSeconds: token?.rate_limit ? String(token.rate_limit.per_seconds) : '',
  };
}

/** The draft's rate limit, null for none; throws a message for half-filled or bad numbers. */
function rateLimitOf(d: TokenDraft): { requests: number; per_seconds: number } | null {
  if (!d.rateRequests.trim() && !d.ratePerSeconds.trim()) return null;
  const requests = Number(d.rateRequests);
  const per = Number(d.ratePerSeconds);
  if (!Number.isInteger(requests) || requests < 1 || !Number.isInteger(per) || per < 1) throw new Error('Rate limit: give both a number of requests and a number of seconds (whole numbers, at least 1), or leave both empty.');
  return { requests, per_seconds: per };
}

function expiryOf(d: TokenDraft): string | null {
  if (d.expiry === 'date' && !d.expiryDate) throw new Error('Expiry: pick a date, or another choice.');
  return expiryFrom(d.expiry, d.expiryDate);
}

export function createBody(d: TokenDraft): CreateTokenBody {
  return {
    name: d.name.trim(),
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    scopes: d.scopes,
    expires_at: expiryOf(d),
    allowed_cidrs: listOf(d.cidrs),
    audiences: listOf(d.audiences),
    rate_limit: rateLimitOf(d),
  };
}

/** Only what changed, so the server's no-loosening rules see exactly the edit made. */
export function patchBody(d: TokenDraft, token: Token): PatchTokenBody {
  const patch: PatchTokenBody = {};
  if (d.name.trim() !== token.name) patch.name = d.name.trim();
  if (d.description.trim() !== token.description) patch.description = d.description.trim();
  if (d.expiry !== 'keep') patch.expires_at = expiryOf(d);
  const cidrs = listOf(d.cidrs);
  if (cidrs.join('\n') !== token.allowed_cidrs.join('\n')) patch.allowed_cidrs = cidrs;
  const audiences = listOf(d.audiences);
  if (audiences.join('\n') !== token.audiences.join('\n')) patch.audiences = audiences;
  const rate = rateLimitOf(d);
  if (JSON.stringify(rate) !== JSON.stringify(token.rate_limit)) patch.rate_limit = rate;
  return patch;
}

function useCatalog(): { scopes: Scope[] | null; error: string | null } {
  const [scopes, setScopes] = useState<Scope[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<ScopeListResponse>('/v1/scopes').then((r) => setScopes(r.data), (err) => setError(messageOf(err)));
  }, []);
  return { scopes, error };
}

const EXPIRY_CHOICES: [string, string][] = [
  ['30', '30 days'],
  ['90', '90 days'],
  ['365', '1 year'],
  ['never', 'Never'],
  ['date', 'On a date'],
];

export function ScopePicker(props: { chosen: string[]; initial: readonly string[]; onChange: (scopes: string[]) => void }) {
  const { info } = useSession();
  const can = abilities(info);
  const { scopes, error } = useCatalog();
  if (error) return <ErrorNote error={`The scope catalog could not be read: ${error}`} />;
  if (!scopes) return <p class="muted">Loading scopes…</p>;
  const toggle = (name: string, on: boolean) => props.onChange(on ? [...props.chosen, name] : props.chosen.filter((s) => s !== name));
  return (
    <fieldset class="scope-picker">
      <legend>Scopes</legend>
      {scopes.map((scope) => {
        const grantable = can.grant(scope.name) || props.initial.includes(scope.name);
        const why = `scope-why-${scope.name.replace(/[^a-z0-9]/g, '-')}`;
        return (
          <div key={scope.name} class={`scope-choice${grantable ? '' : ' disabled'}`}>
            <label class="check">
              <input
                type="checkbox"
                name="scope"
                value={scope.name}
                checked={props.chosen.includes(scope.name)}
                disabled={!grantable}
                aria-describedby={why}
                onChange={(e) => toggle(scope.name, (e.currentTarget as HTMLInputElement).checked)}
              />{' '}
              <code>{scope.name}</code>
            </label>
            <span class="hint" id={why}>
              {grantable ? scope.description : `Your token does not hold ${scope.name}, so it cannot grant it.`}
            </span>
          </div>
        );
      })}
    </fieldset>
  );
}

export function TokenFields(props: { draft: TokenDraft; onChange: (d: TokenDraft) => void; editing?: Token; withScopes: boolean }) {
  const d = props.draft;
  const set = (patch: Partial<TokenDraft>) => props.onChange({ ...d, ...patch });
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  const choices = props.editing ? [['keep', `Keep (${props.editing.expires_at ?? 'never'})`] as [string, string], ...EXPIRY_CHOICES] : EXPIRY_CHOICES;
  return (
    <>
      <Field label="Name" hint="1–100 characters, unique among live tokens, e.g. ci-deploy">
        {(id, hint) => <input id={id} aria-describedby={hint} required maxLength={100} value={d.name} onInput={(e) => set({ name: value(e) })} autocomplete="off" />}
      </Field>
      <Field label="Description">{(id) => <textarea id={id} rows={2} maxLength={1000} value={d.description} onInput={(e) => set({ description: value(e) })} />}</Field>
      {props.withScopes && <ScopePicker chosen={d.scopes} initial={props.editing?.scopes ?? []} onChange={(scopes) => set({ scopes })} />}
      <fieldset>
        <legend>Expires</legend>
        <div class="radios">
          {choices.map(([key, label]) => (
            <label key={key} class="check">
              <input type="radio" name="expiry" value={key} checked={d.expiry === key} onChange={() => set({ expiry: key })} /> {label}
            </label>
          ))}
        </div>
        {d.expiry === 'date' && (
          <Field label="Expiry date (UTC midnight)">{(id) => <input id={id} type="date" required value={d.expiryDate} onInput={(e) => set({ expiryDate: value(e) })} />}</Field>
        )}
      </fieldset>
      <Field label="Allowed addresses (CIDRs)" hint="One IPv4/IPv6 address or CIDR block per line; empty = any address">
        {(id, hint) => <textarea id={id} aria-describedby={hint} rows={2} value={d.cidrs} onInput={(e) => set({ cidrs: value(e) })} spellcheck={false} />}
      </Field>
      <Field label="Audiences" hint="Services it is valid for, one per line; empty = any">
        {(id, hint) => <textarea id={id} aria-describedby={hint} rows={2} value={d.audiences} onInput={(e) => set({ audiences: value(e) })} spellcheck={false} />}
      </Field>
      <fieldset>
        <legend>Rate limit (optional)</legend>
        <div class="inline">
          <Field label="Requests">{(id) => <input id={id} type="number" min={1} value={d.rateRequests} onInput={(e) => set({ rateRequests: value(e) })} />}</Field>
          <Field label="Per seconds">{(id) => <input id={id} type="number" min={1} value={d.ratePerSeconds} onInput={(e) => set({ ratePerSeconds: value(e) })} />}</Field>
        </div>
      </fieldset>
    </>
  );
}
