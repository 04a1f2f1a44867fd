// One token: every field, the Active switch (suspend/resume), rotate, revoke, edit, its audit
// events, and its usage over time when the server keeps usage history.
import { useEffect, useState } from 'preact/hooks';
import type { AuditPage, RotateResponse, Token } from '../../shared/schemas.js';
import { api, ApiProblem, messageOf } from '../api.js';
import { SecretDialog } from '../components/secret.js';
import { Dialog, ErrorNote, Field, FormActions, Link, ScopeList, StatusBadge, Time, useAction } from '../components/ui.js';
import { navigate } from '../router.js';
import { abilities, useSession } from '../session.js';
import { AuditTable } from './audit.js';
import { draftOf, patchBody, TokenFields } from './token-form.js';
import { UsageChart } from './usage.js';

const OVERLAPS: [number, string][] = [
  [0, 'No overlap: the old secret stops working now'],
  [3600, '1 hour'],
  [86_400, '24 hours'],
  [7 * 86_400, '7 days'],
];

function RotateDialog({ token, onClose, onRotated }: { token: Token; onClose: () => void; onRotated: (r: RotateResponse) => void }) {
  const [overlap, setOverlap] = useState(86_400);
  const { busy, error, run } = useAction();
  const [idempotencyKey] = useState(() => `console-${crypto.randomUUID()}`);
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => onRotated(await api.post<RotateResponse>(`/v1/tokens/${token.id}/rotate`, { overlap_seconds: overlap }, { 'idempotency-key': `${idempotencyKey}-${overlap}` })));
  };
  return (
    <Dialog title={`Rotate ${token.name}`} onCancel={onClose}>
      <form onSubmit={submit}>
        <p>A successor gets a new secret and everything else of this token. How long may the old secret keep working, while you deploy the new one?</p>
        <fieldset>
          <legend>Overlap</legend>
          {OVERLAPS.map(([seconds, label]) => (
            <label key={seconds} class="check">
              <input type="radio" name="overlap" checked={overlap === seconds} onChange={() => setOverlap(seconds)} /> {label}
            </label>
          ))}
        </fieldset>
        <FormActions error={error} busy={busy} submit="Rotate" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

function RevokeDialog({ token, onClose, onRevoked }: { token: Token; onClose: () => void; onRevoked: () => void }) {
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const { busy, error, setError, run } = useAction();
  const confirmed = typed === token.name && reason.trim() !== '';
  const submit = (e: Event) => {
    e.preventDefault();
    if (!confirmed) return setError('Give a reason and type the token’s name to confirm.');
    void run(async () => {
      await api.post(`/v1/tokens/${token.id}/revoke`, { reason: reason.trim() });
      onRevoked();
    });
  };
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  return (
    <Dialog title={`Revoke ${token.name}?`} onCancel={onClose}>
      <form onSubmit={submit}>
        <p>
          <strong>{token.name}</strong> (<code>{token.start}…</code>, {token.id}) stops working at once, everywhere, for good. Whatever uses it will be refused.
        </p>
        <Field label="Reason (kept in the audit log)">{(id) => <textarea id={id} rows={2} maxLength={500} required value={reason} onInput={(e) => setReason(value(e))} />}</Field>
        <Field label={`Type the token’s name (${token.name}) to confirm`}>
          {(id) => <input id={id} value={typed} onInput={(e) => setTyped(value(e))} autocomplete="off" spellcheck={false} />}
        </Field>
        <FormActions error={error} busy={busy} submit="Revoke token" onCancel={onClose} danger unconfirmed={!confirmed} />
      </form>
    </Dialog>
  );
}

function EditDialog({ token, onClose, onSaved }: { token: Token; onClose: () => void; onSaved: () => void }) {
  const [draft, setDraft] = useState(draftOf(token));
  const { busy, error, setError, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    let patch: ReturnType<typeof patchBody>;
    try {
      patch = patchBody(draft, token);
    } catch (err) {
      return setError(messageOf(err));
    }
    if (!draft.scopes.length) return setError('A token needs at least one scope.');
    const scopesChanged = [...draft.scopes].sort().join(' ') !== [...token.scopes].sort().join(' ');
    void run(async () => {
      try {
        // If-Match: refused (412) when someone else changed the token since this page read it.
        if (Object.keys(patch).length) await api.patch(`/v1/tokens/${token.id}`, patch, { 'if-match': `"${token.version}"` });
        if (scopesChanged) await api.post(`/v1/tokens/${token.id}/scopes`, { set: draft.scopes });
      } catch (err) {
        throw err instanceof ApiProblem && err.status === 412 ? new Error('Someone changed this token meanwhile. Close, look at it again, and redo your edit.') : err;
      }
      onSaved();
    });
  };
  return (
    <Dialog title={`Edit ${token.name}`} onCancel={onClose} wide>
      <form onSubmit={submit}>
        <TokenFields draft={draft} onChange={setDraft} editing={token} withScopes />
        <FormActions error={error} busy={busy} submit="Save" onCancel={onClose} />
      </form>
    </Dialog>
  );
}

type Open = null | 'rotate' | 'revoke' | 'edit';

export function TokenPage({ id }: { id: string }) {
  const { info, refresh } = useSession();
  const can = abilities(info);
  const [token, setToken] = useState<Token | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<Open>(null);
  const [rotated, setRotated] = useState<RotateResponse | null>(null);
  const switchAction = useAction();
  const [version, setVersion] = useState(0);

  useEffect(() => {
    setError(null);
    api.get<Token>(`/v1/tokens/${id}`).then(setToken, (err) => setError(messageOf(err)));
  }, [id, version]);
  const reload = () => {
    setOpen(null);
    setVersion(version + 1);
    if (id === info.token.id) void refresh();
  };

  if (error) {
    return (
      <section>
        <h1 tabIndex={-1}>Token</h1>
        <ErrorNote error={error} />
        <p>
          <Link href="/tokens">Back to all tokens</Link>
        </p>
      </section>
    );
  }
  if (!token) return <p class="muted">Loading…</p>;

  const live = token.status === 'active' || token.status === 'suspended';
  const canToggle = live && (token.status === 'active' ? can.revokeTokens : can.writeTokens);
  const toggle = () =>
    switchAction.run(async () => {
      await api.post(`/v1/tokens/${token.id}/${token.status === 'active' ? 'suspend' : 'resume'}`, {});
      reload();
    });

  return (
    <section>
      <p class="crumbs">
        <Link href="/tokens">Tokens</Link> ›
      </p>
      <div class="page-head">
        <h1 tabIndex={-1}>{token.name}</h1>
        <StatusBadge status={token.status} />
      </div>
      <div class="toolbar" role="group" aria-label="Actions on this token">
        <label class="switch">
          <button type="button" role="switch" aria-checked={token.status === 'active'} disabled={!canToggle || switchAction.busy} onClick={toggle} aria-describedby="active-hint">
            <span class="knob" aria-hidden="true" />
          </button>{' '}
          Active
        </label>
        <span id="active-hint" class="hint">
          {!live ? `A ${token.status} token cannot be switched on again.` : token.status === 'active' ? 'Switch off to suspend it: refused everywhere until switched on.' : 'Suspended: switch on to resume it.'}
        </span>
        {can.writeTokens && live && (
          <button type="button" onClick={() => setOpen('edit')}>
            Edit
          </button>
        )}
        {can.writeTokens && live && !token.rotated_to && (
          <button type="button" onClick={() => setOpen('rotate')}>
            Rotate…
          </button>
        )}
        {can.revokeTokens && token.status !== 'revoked' && (
          <button type="button" class="danger" onClick={() => setOpen('revoke')}>
            Revoke…
          </button>
        )}
      </div>
      <ErrorNote error={switchAction.error} />
      <TokenFieldsList token={token} />
      <UsageChart tokenId={token.id} />
      {can.readAudit && <TokenAudit id={token.id} version={version} />}
      {open === 'rotate' && (
        <RotateDialog
          token={token}
          onClose={() => setOpen(null)}
          onRotated={(r) => {
            setOpen(null);
            setRotated(r);
          }}
        />
      )}
      {open === 'revoke' && <RevokeDialog token={token} onClose={() => setOpen(null)} onRevoked={reload} />}
      {open === 'edit' && <EditDialog token={token} onClose={() => setOpen(null)} onSaved={reload} />}
      {rotated && (
        <SecretDialog
          title="Token rotated"
          tokenName={rotated.token.name}
          secret={rotated.secret}
          onDone={() => {
            const next = rotated.token.id;
            setRotated(null);
            navigate(`/tokens/${next}`);
          }}
        />
      )}
    </section>
  );
}

function TokenFieldsList({ token }: { token: Token }) {
  const link = (id: string | null) => (id ? <Link href={`/tokens/${id}`}>{id}</Link> : '—');
  const rows: [string, preact.ComponentChildren][] = [
    ['ID', <code>{token.id}</code>],
    ['Token', <code>{token.start}…</code>],
    ['Description', token.description || <span class="muted">none</span>],
    ['Scopes', <ScopeList scopes={token.scopes} />],
    ['Audiences', token.audiences.length ? token.audiences.join(', ') : <span class="muted">any</span>],
    ['Allowed addresses', token.allowed_cidrs.length ? token.allowed_cidrs.join(', ') : <span class="muted">any</span>],
    ['Rate limit', token.rate_limit ? `${token.rate_limit.requests} requests per ${token.rate_limit.per_seconds} s` : <span class="muted">none</span>],
    [
      'Usage quota',
      token.max_uses === null ? (
        <span class="muted">none</span>
      ) : (
        `${(token.uses_remaining ?? 0).toLocaleString()} of ${token.max_uses.toLocaleString()} uses left${token.refill ? `; ${token.refill.amount.toLocaleString()} back every ${token.refill.every} s` : ''}`
      ),
    ],
    ['Created', <Time iso={token.created_at} />],
    ['Created by', link(token.created_by)],
    ['Expires', <Time iso={token.expires_at} none="never" />],
    ['Last used', <Time iso={token.last_used_at} none="Never" />],
    ['Last used from', token.last_used_ip ?? '—'],
    ['Uses', token.use_count.toLocaleString()],
    ['Rotated from', link(token.rotated_from)],
    ['Rotated to', link(token.rotated_to)],
    ['Version', String(token.version)],
  ];
  if (token.revoked_at) rows.push(['Revoked', <Time iso={token.revoked_at} />], ['Revoked by', link(token.revoked_by)], ['Revoke reason', token.revoke_reason ?? '—']);
  for (const [key, value] of Object.entries(token.metadata)) rows.push([`Metadata: ${key}`, value]);
  return (
    <dl class="fields">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function TokenAudit({ id, version }: { id: string; version: number }) {
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.get<AuditPage>('/v1/audit', { target: id, order: 'desc', limit: 20 }).then(setPage, (err) => setError(messageOf(err)));
  }, [id, version]);
  return (
    <section aria-labelledby="token-audit">
      <h2 id="token-audit">Audit events</h2>
      <ErrorNote error={error} />
      {page && <AuditTable events={page.data} caption={`Latest audit events of ${id}`} />}
      {page?.next_cursor && (
        <p>
          <Link href={`/audit?target=${id}`}>All of this token’s events</Link>
        </p>
      )}
    </section>
  );
}
