// The Tokens page: what needs attention (the rules of `tokens check`), the list with filters and
// cursor pagination (one page at a time, never everything), and "+ New token".
import { useEffect, useState } from 'preact/hooks';
import { DEFAULT_THRESHOLDS, FINDING_LABELS, findIssues, type Finding } from '../../shared/attention.js';
import type { Scope, ScopeListResponse, Token, TokenPage, TokenWithSecret } from '../../shared/schemas.js';
import { api, messageOf } from '../api.js';
import { SecretDialog } from '../components/secret.js';
import { Dialog, ErrorNote, Field, FormActions, Link, Pager, ScopeList, StatusBadge, Time, useAction, useCursors } from '../components/ui.js';
import { navigate } from '../router.js';
import { abilities, useSession } from '../session.js';
import { createBody, draftOf, TokenFields } from './token-form.js';

const PAGE_SIZE = 25;
const STATUS_FILTERS: [string, string][] = [
  ['active,suspended', 'Live (active or suspended)'],
  ['active', 'Active'],
  ['suspended', 'Suspended'],
  ['expired', 'Expired'],
  ['revoked', 'Revoked'],
  ['', 'Any status'],
];
export const SORTS: [string, string][] = [
  ['-created_at', 'Newest first'],
  ['created_at', 'Oldest first'],
  ['name', 'Name A–Z'],
  ['-name', 'Name Z–A'],
  ['expires_at', 'Expiring soonest'],
  ['-last_used_at', 'Recently used'],
  ['last_used_at', 'Least recently used'],
];

interface Filters {
  status: string;
  scope: string;
  namePrefix: string;
  sort: string;
}

const ATTENTION_LIMIT = 100;

/** Tokens `tokens check` would report, found by the server's filters rather than by reading every token. */
async function attention(): Promise<{ findings: Finding[]; truncated: boolean }> {
  const now = Date.now();
  const live = { status: 'active,suspended', limit: ATTENTION_LIMIT };
  const pages = await Promise.all([
    api.get<TokenPage>('/v1/tokens', { ...live, expires_before: new Date(now + DEFAULT_THRESHOLDS.expiringWithinSeconds * 1000).toISOString() }),
    api.get<TokenPage>('/v1/tokens', { ...live, unused_since: new Date(now - DEFAULT_THRESHOLDS.unusedForSeconds * 1000).toISOString() }),
    api.get<TokenPage>('/v1/tokens', { ...live, scope: 'management' }),
  ]);
  const byId = new Map<string, Token>();
  for (const page of pages) for (const t of page.data) byId.set(t.id, t);
  // A token in a rotation overlap is left out when its successor is live: the rules need the successor.
  for (const t of [...byId.values()]) {
    if (t.rotated_to && !byId.has(t.rotated_to)) byId.set(t.rotated_to, await api.get<Token>(`/v1/tokens/${t.rotated_to}`));
  }
  return { findings: findIssues([...byId.values()], [], now, DEFAULT_THRESHOLDS), truncated: pages.some((p) => p.next_cursor !== null) };
}

function AttentionPanel({ version }: { version: number }) {
  const [state, setState] = useState<{ findings: Finding[]; truncated: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    attention().then(setState, (err) => setError(messageOf(err)));
  }, [version]);
  const count = state ? new Set(state.findings.map((f) => f.id)).size : 0;
  return (
    <section class="panel attention" aria-labelledby="attention-title">
      <h2 id="attention-title">Needs attention</h2>
      <ErrorNote error={error} />
      {!state && !error && <p class="muted">Checking…</p>}
      {state && !count && <p class="ok">✓ No live token needs attention: none expires within 14 days or went unused for 90, and every management token expires and is limited to some addresses.</p>}
      {state && count > 0 && (
        <>
          <p>
            {count} token{count === 1 ? ' needs' : 's need'} attention (the rules of <code>tokens check</code>
            {state.truncated ? `; the first ${ATTENTION_LIMIT} of each kind` : ''}):
          </p>
          <ul class="findings">
            {state.findings.map((f) => (
              <li key={`${f.kind}-${f.id}`}>
                <span class={`badge finding-${f.kind}`}>{FINDING_LABELS[f.kind]}</span> <Link href={`/tokens/${f.id}`}>{f.name}</Link> <span class="muted">— {f.detail}</span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function NewTokenDialog({ onClose, onCreated }: { onClose: () => void; onCreated: (created: TokenWithSecret) => void }) {
  const [draft, setDraft] = useState(draftOf());
  const { busy, error, setError, run } = useAction();
  // One key per attempt of this form: a retry after a lost answer cannot create twice.
  const [idempotencyKey] = useState(() => `console-${crypto.randomUUID()}`);
  const submit = (e: Event) => {
    e.preventDefault();
    let body: ReturnType<typeof createBody>;
    try {
      body = createBody(draft);
    } catch (err) {
      return setError(messageOf(err));
    }
    if (!body.scopes.length) return setError('Choose at least one scope.');
    void run(async () => onCreated(await api.post<TokenWithSecret>('/v1/tokens', body, { 'idempotency-key': idempotencyKey })));
  };
  return (
    <Dialog title="New token" onCancel={onClose} wide>
      <form onSubmit={submit}>
        <TokenFields draft={draft} onChange={setDraft} withScopes />
        <FormActions error={error} busy={busy} submit="Create token" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function TokensPage() {
  const { info } = useSession();
  const can = abilities(info);
  const [filters, setFilters] = useState<Filters>({ status: 'active,suspended', scope: '', namePrefix: '', sort: '-created_at' });
  const pages = useCursors();
  const [page, setPage] = useState<TokenPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [catalog, setCatalog] = useState<Scope[]>([]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<TokenWithSecret | null>(null);
  const [version, setVersion] = useState(0);
  const { cursor } = pages;

  useEffect(() => {
    if (can.readTokens) api.get<ScopeListResponse>('/v1/scopes').then((r) => setCatalog(r.data), () => setCatalog([]));
  }, []);
  useEffect(() => {
    if (!can.readTokens) return;
    setError(null);
    api
      .get<TokenPage>('/v1/tokens', { status: filters.status, scope: filters.scope, name_prefix: filters.namePrefix.trim(), sort: filters.sort, limit: PAGE_SIZE, cursor })
      .then(setPage, (err) => {
        setPage(null);
        setError(messageOf(err));
      });
  }, [filters, cursor, version]);

  if (!can.readTokens) {
    return (
      <section>
        <h1 tabIndex={-1}>Tokens</h1>
        <p>
          This session's token (scopes <ScopeList scopes={info.token.scopes} />) may not list tokens: that needs <code>tokens:read</code>. Sign in with a token that holds it.
        </p>
      </section>
    );
  }

  const change = (patch: Partial<Filters>) => {
    setFilters({ ...filters, ...patch });
    pages.first();
  };
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;

  return (
    <section>
      <div class="page-head">
        <h1 tabIndex={-1}>Tokens</h1>
        {can.writeTokens && (
          <button type="button" class="primary" onClick={() => setCreating(true)}>
            + New token
          </button>
        )}
      </div>
      <AttentionPanel version={version} />
      <form class="filters" role="search" aria-label="Filter tokens" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status">
          {(id) => (
            <select id={id} value={filters.status} onChange={(e) => change({ status: value(e) })}>
              {STATUS_FILTERS.map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Scope">
          {(id) => (
            <select id={id} value={filters.scope} onChange={(e) => change({ scope: value(e) })}>
              <option value="">Any scope</option>
              {catalog.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Name starts with">{(id) => <input id={id} type="search" value={filters.namePrefix} onInput={(e) => change({ namePrefix: value(e) })} autocomplete="off" />}</Field>
        <Field label="Sort">
          {(id) => (
            <select id={id} value={filters.sort} onChange={(e) => change({ sort: value(e) })}>
              {SORTS.map(([key, label]) => (
                <option key={key} value={key}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </form>
      <ErrorNote error={error} />
      {page && <TokenTable tokens={page.data} />}
      {page && <Pager label="Pages of tokens" pages={pages} nextCursor={page.next_cursor} />}
      {creating && (
        <NewTokenDialog
          onClose={() => setCreating(false)}
          onCreated={(result) => {
            setCreating(false);
            setCreated(result);
          }}
        />
      )}
      {created && (
        <SecretDialog
          title="Token created"
          tokenName={created.token.name}
          secret={created.secret}
          onDone={() => {
            const id = created.token.id;
            setCreated(null);
            setVersion(version + 1);
            navigate(`/tokens/${id}`);
          }}
        />
      )}
    </section>
  );
}

function TokenTable({ tokens }: { tokens: Token[] }) {
  if (!tokens.length) return <p class="muted">No tokens match these filters.</p>;
  return (
    <div class="table-wrap">
      <table class="tokens">
        <caption class="visually-hidden">Tokens matching the filters</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Token</th>
            <th scope="col">Scopes</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col" class="num">
              Uses
            </th>
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id}>
              <th scope="row">
                <Link href={`/tokens/${t.id}`}>{t.name}</Link>
              </th>
              <td>
                <code>{t.start}…</code>
              </td>
              <td>
                <ScopeList scopes={t.scopes} />
              </td>
              <td>
                <StatusBadge status={t.status} />
              </td>
              <td>
                <Time iso={t.created_at} />
              </td>
              <td>
                <Time iso={t.expires_at} none="never" />
              </td>
              <td>
                <Time iso={t.last_used_at} none="Never" />
              </td>
              <td class="num">{t.use_count.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
