// The scope catalog: the built-in scopes, and the custom ones a management session adds or removes.
import { useEffect, useState } from 'preact/hooks';
import type { Scope, ScopeListResponse } from '../../shared/schemas.js';
import { api, messageOf } from '../api.js';
import { Busy, Dialog, ErrorNote, Field, FormActions, useAction } from '../components/ui.js';
import { abilities, useSession } from '../session.js';

export function ScopesPage() {
  const { info } = useSession();
  const can = abilities(info);
  const [scopes, setScopes] = useState<Scope[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const adding = useAction();
  const [removing, setRemoving] = useState<Scope | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (!can.readTokens) return;
    api.get<ScopeListResponse>('/v1/scopes').then((r) => setScopes(r.data), (err) => setError(messageOf(err)));
  }, [version]);

  if (!can.readTokens) {
    return (
      <section>
        <h1 tabIndex={-1}>Scopes</h1>
        <p>
          Reading the scope catalog needs <code>tokens:read</code>, which this session’s token does not hold.
        </p>
      </section>
    );
  }

  const add = (e: Event) => {
    e.preventDefault();
    void adding.run(async () => {
      await api.post('/v1/scopes', { name: name.trim(), ...(description.trim() ? { description: description.trim() } : {}) });
      setName('');
      setDescription('');
      setVersion(version + 1);
    });
  };
  const value = (e: Event) => (e.currentTarget as HTMLInputElement).value;

  return (
    <section>
      <h1 tabIndex={-1}>Scopes</h1>
      <p class="muted">Built-in scopes decide what a token may do here; custom scopes mean what your services make of them — the server only hands them back on verify.</p>
      <ErrorNote error={error} />
      {scopes && (
        <div class="table-wrap">
          <table class="scopes-table">
            <caption class="visually-hidden">The scope catalog</caption>
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Description</th>
                <th scope="col">Kind</th>
                {can.manageCatalog && (
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {scopes.map((s) => (
                <tr key={s.name}>
                  <th scope="row">
                    <code>{s.name}</code>
                  </th>
                  <td>{s.description}</td>
                  <td>{s.builtin ? 'built-in' : 'custom'}</td>
                  {can.manageCatalog && (
                    <td>
                      {!s.builtin && (
                        <button type="button" class="danger small" onClick={() => setRemoving(s)} aria-label={`Remove scope ${s.name}`}>
                          Remove
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {can.manageCatalog ? (
        <form class="panel add-scope" onSubmit={add} aria-labelledby="add-scope-title">
          <h2 id="add-scope-title">Add a custom scope</h2>
          <div class="inline">
            <Field label="Name" hint="lowercase letters, digits and _ . : - ; e.g. invoice:read">
              {(id, hint) => <input id={id} aria-describedby={hint} required maxLength={64} pattern="[a-z][a-z0-9_.:\-]{0,63}" value={name} onInput={(e) => setName(value(e))} autocomplete="off" spellcheck={false} />}
            </Field>
            <Field label="Description">{(id) => <input id={id} maxLength={1000} value={description} onInput={(e) => setDescription(value(e))} />}</Field>
          </div>
          <ErrorNote error={adding.error} />
          <Busy type="submit" class="primary" busy={adding.busy}>
            Add scope
          </Busy>
        </form>
      ) : (
        <p class="muted">Adding and removing custom scopes needs scope management.</p>
      )}
      {removing && <RemoveScopeDialog scope={removing} onClose={() => setRemoving(null)} onRemoved={() => (setRemoving(null), setVersion(version + 1))} />}
    </section>
  );
}

function RemoveScopeDialog({ scope, onClose, onRemoved }: { scope: Scope; onClose: () => void; onRemoved: () => void }) {
  const { busy, error, run } = useAction();
  const remove = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await api.delete(`/v1/scopes/${encodeURIComponent(scope.name)}`);
      onRemoved();
    });
  };
  return (
    <Dialog title={`Remove scope ${scope.name}?`} onCancel={onClose}>
      <form onSubmit={remove}>
        <p>New tokens can no longer be given it. The server refuses while a live token still holds it.</p>
        <FormActions error={error} busy={busy} submit="Remove scope" onCancel={onClose} danger />
      </form>
    </Dialog>
  );
}
