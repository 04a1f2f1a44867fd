// The tokens web console (README, Console): sign-in with a token secret for a server-side session,
// then the pages, each calling the same /v1 API the CLI calls with the session standing in for the
// bearer token. The secret is sent once and kept nowhere in the browser.
import { Component, render, type ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { SessionInfo } from '../shared/schemas.js';
import { api, ApiProblem, messageOf, onSessionEnded, setCsrfToken } from './api.js';
import { Busy, ErrorNote, Field, Link, ScopeList, useAction } from './components/ui.js';
import { AuditLogPage } from './pages/audit.js';
import { ScopesPage } from './pages/scopes.js';
import { TokenPage } from './pages/token-detail.js';
import { TokensPage } from './pages/tokens.js';
import { navigate, routeOf, usePath } from './router.js';
import { abilities, SessionContext } from './session.js';
import './styles.css';

function SignIn({ notice, onSignedIn }: { notice: string | null; onSignedIn: (info: SessionInfo) => void }) {
  const { busy, error, run } = useAction();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);
  const submit = (e: Event) => {
    e.preventDefault();
    const field = input.current!;
    const secret = field.value;
    // The secret leaves the page as soon as it is sent.
    field.value = '';
    void run(async () => onSignedIn(await api.post<SessionInfo>('/v1/session', { secret })));
  };
  return (
    <main id="main" class="sign-in">
      <h1>tokens console</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={submit} class="panel">
        <Field label="Token secret" hint="Paste the secret of any active token (e.g. the bootstrap token in .tokens/bootstrap-token). The console can do what its scopes allow — no more. The secret is sent once to start a session and is not stored in this browser.">
          {(id, hint) => <input id={id} ref={input} type="password" name="secret" required autocomplete="off" spellcheck={false} aria-describedby={hint} />}
        </Field>
        <ErrorNote error={error} />
        <Busy type="submit" class="primary" busy={busy}>
          Sign in
        </Busy>
      </form>
    </main>
  );
}

/** A page that threw while rendering shows what happened instead of going blank. */
class PageBoundary extends Component<{ children: ComponentChildren; path: string }, { error: string | null }> {
  override state = { error: null as string | null };
  override componentDidCatch(err: unknown) {
    this.setState({ error: messageOf(err) });
  }
  override componentDidUpdate(prev: { path: string }) {
    if (prev.path !== this.props.path && this.state.error) this.setState({ error: null });
  }
  override render() {
    if (this.state.error) {
      return (
        <section>
          <h1 tabIndex={-1}>This page failed</h1>
          <ErrorNote error={this.state.error} />
          <p>
            <Link href="/tokens">Back to the tokens</Link>
          </p>
        </section>
      );
    }
    return this.props.children;
  }
}

function Page({ path }: { path: string }) {
  const route = routeOf(path);
  switch (route.page) {
    case 'tokens':
      return <TokensPage />;
    case 'token':
      return <TokenPage id={route.id} key={route.id} />;
    case 'audit':
      return <AuditLogPage />;
    case 'scopes':
      return <ScopesPage />;
    default:
      return (
        <section>
          <h1 tabIndex={-1}>Not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <Link href="/tokens">Go to the tokens</Link>.
          </p>
        </section>
      );
  }
}

function Shell({ info, onSignOut }: { info: SessionInfo; onSignOut: () => void }) {
  const path = usePath();
  const main = useRef<HTMLElement>(null);
  const can = abilities(info);
  const [error, setError] = useState<string | null>(null);
  // After navigating, move focus to the new page's heading so screen readers announce it.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    requestAnimationFrame(() => main.current?.querySelector<HTMLElement>('h1')?.focus());
  }, [path]);
  const signOut = async () => {
    try {
      await api.delete('/v1/session');
      onSignOut();
    } catch (err) {
      if (err instanceof ApiProblem && err.code === 'session_ended') onSignOut();
      else setError(messageOf(err));
    }
  };
  const nav: [string, string, boolean][] = [
    ['/tokens', 'Tokens', true],
    ['/audit', 'Audit log', can.readAudit],
    ['/scopes', 'Scopes', true],
  ];
  const current = (href: string) => (href === '/tokens' ? path === '/' || path.startsWith('/tokens') : path === href);
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">tokens</span>
        <nav aria-label="Main">
          {nav
            .filter(([, , shown]) => shown)
            .map(([href, label]) => (
              <a key={href} href={href} aria-current={current(href) ? 'page' : undefined} onClick={(e) => (e.preventDefault(), navigate(href))}>
                {label}
              </a>
            ))}
        </nav>
        <div class="who">
          <span>
            Signed in as <Link href={`/tokens/${info.token.id}`}>{info.token.name}</Link> <ScopeList scopes={info.token.scopes} />
          </span>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <ErrorNote error={error} />
      <main id="main" ref={main}>
        <PageBoundary path={path}>
          <Page path={path} />
        </PageBoundary>
      </main>
    </>
  );
}

function App() {
  const [info, setInfo] = useState<SessionInfo | null | undefined>(undefined);
  const [notice, setNotice] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const adopt = (next: SessionInfo | null, message: string | null = null) => {
    setCsrfToken(next?.session.csrf_token ?? null);
    setInfo(next);
    if (message !== null) setNotice(message);
  };
  const refresh = async () => {
    try {
      adopt(await api.get<SessionInfo>('/v1/session'));
    } catch (err) {
      if (err instanceof ApiProblem && (err.status === 401 || err.status === 404)) adopt(null);
      else setLoadError(messageOf(err));
    }
  };
  useEffect(() => {
    void refresh();
    return onSessionEnded((message) => adopt(null, message));
  }, []);

  // The server says at once when the session ends (its token revoked from the CLI, say).
  useEffect(() => {
    if (!info) return;
    const events = new EventSource('/v1/session/events');
    events.addEventListener('ended', (e) => {
      events.close();
      const { message } = JSON.parse((e as MessageEvent<string>).data) as { message: string };
      adopt(null, `Signed out: ${message}.`);
    });
    events.onerror = () => {
      // The stream was refused or dropped: the session may be over; the session request tells.
      if (events.readyState === EventSource.CLOSED) void refresh();
    };
    return () => events.close();
  }, [info?.session.csrf_token]);

  if (loadError) {
    return (
      <main id="main" class="sign-in">
        <h1>tokens console</h1>
        <ErrorNote error={`The server could not be reached: ${loadError}`} />
        <button type="button" onClick={() => (setLoadError(null), void refresh())}>
          Try again
        </button>
      </main>
    );
  }
  if (info === undefined) return <p class="muted loading">Loading…</p>;
  if (info === null) return <SignIn notice={notice} onSignedIn={(next) => adopt(next, null)} />;
  return (
    <SessionContext.Provider value={{ info, refresh }}>
      <Shell info={info} onSignOut={() => (adopt(null, 'You signed out.'), navigate('/', true))} />
    </SessionContext.Provider>
  );
}

render(<App />, document.getElementById('app')!);
