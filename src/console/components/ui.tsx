// Small pieces every page uses: links, times, status badges, errors in place, modal dialogs.
// Everything user-supplied is rendered as text by Preact; nothing here builds markup from strings.
import type { ButtonHTMLAttributes, ComponentChildren, JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../api.js';
import { exactTime, relative } from '../format.js';
import { navigate } from '../router.js';

export function Link(props: { href: string; children: ComponentChildren; class?: string; 'aria-label'?: string }) {
  const follow = (e: MouseEvent) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} onClick={follow} aria-label={props['aria-label']}>
      {props.children}
    </a>
  );
}

/** A time in words ("in 3 days"), the exact date on hover and for screen readers; `none` when null. */
export function Time({ iso, none = '—' }: { iso: string | null; none?: string }) {
  if (!iso) return <span>{none}</span>;
  return (
    <time dateTime={iso} title={exactTime(iso)}>
      {relative(iso)}
    </time>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{status}</span>;
}

export function ScopeList({ scopes }: { scopes: readonly string[] }) {
  if (!scopes.length) return <span class="muted">none</span>;
  return (
    <span class="scopes">
      {scopes.map((s) => (
        <code key={s} class="scope">
          {s}
        </code>
      ))}
    </span>
  );
}

/** An API error where the action was: the server's problem detail, announced to screen readers. */
export function ErrorNote({ error }: { error: string | null }) {
  if (!error) return null;
  return (
    <p class="error" role="alert">
      {error}
    </p>
  );
}

/**
 * A modal <dialog>: focus stays inside, Escape closes it — unless `onCancel` says no (a secret
 * not yet acknowledged), and the page behind is inert.
 */
export function Dialog(props: { title: string; onCancel: () => boolean | void; children: ComponentChildren; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useRef(`dialog-${Math.random().toString(36).slice(2)}`).current;
  useEffect(() => {
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    return () => dialog.close();
  }, []);
  const cancel = (e: Event) => {
    e.preventDefault();
    props.onCancel();
  };
  return (
    <dialog ref={ref} aria-labelledby={titleId} onCancel={cancel} class={props.wide ? 'wide' : undefined}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}

export function Field(props: { label: string; hint?: string; children: (id: string, describedBy: string | undefined) => JSX.Element }) {
  const id = useRef(`f-${Math.random().toString(36).slice(2)}`).current;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id, props.hint ? `${id}-hint` : undefined)}
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
    </div>
  );
}

/** A button that shows it is busy and cannot be pressed twice while its action runs. */
export function Busy({ busy, children, ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { busy: boolean }) {
  return (
    <button {...rest} disabled={busy || rest.disabled} aria-busy={busy}>
      {children}
    </button>
  );
}

/** An action started from a form: busy while it runs, its error (the API's detail) kept for the form to show. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}

/** The foot of a dialog's form: the error in place, Cancel, and the submit button. */
export function FormActions(props: { error: string | null; busy: boolean; submit: string; onCancel: () => void; danger?: boolean; unconfirmed?: boolean }) {
  return (
    <>
      <ErrorNote error={props.error} />
      <div class="actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <Busy type="submit" class={props.danger ? 'danger' : 'primary'} busy={props.busy} aria-disabled={props.unconfirmed}>
          {props.submit}
        </Busy>
      </div>
    </>
  );
}

/** Cursor pagination: the cursors of the pages seen so far, so Previous goes back without a query. */
export function useCursors() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    cursor: cursors[cursors.length - 1] ?? null,
    page: cursors.length,
    first: () => setCursors([null]),
    next: (cursor: string) => setCursors([...cursors, cursor]),
    previous: () => setCursors(cursors.slice(0, -1)),
  };
}

export function Pager(props: { label: string; pages: ReturnType<typeof useCursors>; nextCursor: string | null; back?: string; forward?: string }) {
  const { pages, nextCursor } = props;
  return (
    <nav class="pager" aria-label={props.label}>
      <button type="button" disabled={pages.page === 1} onClick={pages.previous}>
        {props.back ?? '← Previous'}
      </button>
      <span class="muted">Page {pages.page}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pages.next(nextCursor)}>
        {props.forward ?? 'Next →'}
      </button>
    </nav>
  );
}
