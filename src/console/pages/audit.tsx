// The audit log: newest first, filtered by action, actor and target, a page at a time.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEvent, AuditPage } from '../../shared/schemas.js';
import { api, messageOf } from '../api.js';
import { ErrorNote, Field, Link, Pager, Time, useCursors } from '../components/ui.js';
import { abilities, useSession } from '../session.js';

const ACTIONS = [
  'token.created',
  'token.updated',
  'token.scopes_changed',
  'token.rotated',
  'token.rotation_completed',
  'token.rotation_aborted',
  'token.suspended',
  'token.resumed',
  'token.revoked',
  'scope.created',
  'scope.deleted',
  'tokens.exported',
  'auth.denied',
  'session.started',
  'session.ended',
];
const PAGE_SIZE = 50;

const idLink = (id: string | null) => (id === null ? <span class="muted">server</span> : id.startsWith('tok_') ? <Link href={`/tokens/${id}`}>{id}</Link> : <code>{id}</code>);

export function AuditTable({ events, caption }: { events: AuditEvent[]; caption: string }) {
  if (!events.length) return <p class="muted">No audit events.</p>;
  return (
    <div class="table-wrap">
      <table class="audit">
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Target</th>
            <th scope="col">Reason</th>
            <th scope="col">Address</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td>
                <Time iso={e.at} />
              </td>
              <td>
                <code>{e.action}</code>
              </td>
              <td>{idLink(e.actor)}</td>
              <td>{e.target === null ? '—' : idLink(e.target)}</td>
              <td>{e.reason ?? ''}</td>
              <td>{e.actor_ip ?? ''}</td>
              <td class="details">{Object.keys(e.details).length ? <code>{JSON.stringify(e.details)}</code> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AuditLogPage() {
  const { info } = useSession();
  const initial = new URLSearchParams(location.search);
  const [filters, setFilters] = useState({ action: initial.get('action') ?? '', actor: initial.get('actor') ?? '', target: initial.get('target') ?? '' });
  const pages = useCursors();
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { cursor } = pages;
  const allowed = abilities(info).readAudit;

  useEffect(() => {
    if (!allowed) return;
    setError(null);
    api
      .get<AuditPage>('/v1/audit', { action: filters.action, actor: filters.actor.trim(), target: filters.target.trim(), order: 'desc', limit: PAGE_SIZE, cursor })
      .then(setPage, (err) => {
        setPage(null);
        setError(messageOf(err));
      });
  }, [filters, cursor]);

  if (!allowed) {
    return (
      <section>
        <h1 tabIndex={-1}>Audit log</h1>
        <p>
          Reading the audit log needs scope <code>audit:read</code>, which this session’s token does not hold.
        </p>
      </section>
    );
  }
  const change = (patch: Partial<typeof filters>) => {
    setFilters({ ...filters, ...patch });
    pages.first();
  };
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;
  return (
    <section>
      <h1 tabIndex={-1}>Audit log</h1>
      <form class="filters" role="search" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
        <Field label="Action">
          {(id) => (
            <select id={id} value={filters.action} onChange={(e) => change({ action: value(e) })}>
              <option value="">Any action</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Actor (token id)">{(id) => <input id={id} value={filters.actor} onChange={(e) => change({ actor: value(e) })} placeholder="tok_…" autocomplete="off" spellcheck={false} />}</Field>
        <Field label="Target (token id or scope)">{(id) => <input id={id} value={filters.target} onChange={(e) => change({ target: value(e) })} placeholder="tok_…" autocomplete="off" spellcheck={false} />}</Field>
      </form>
      <ErrorNote error={error} />
      {page && <AuditTable events={page.data} caption="Audit events, newest first" />}
      {page && <Pager label="Pages of audit events" pages={pages} nextCursor={page.next_cursor} back="← Newer" forward="Older →" />}
    </section>
  );
}
