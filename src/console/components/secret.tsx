// A new secret, shown once (after create and rotate): in a box with Copy, and the dialog cannot be
// left until the operator says it is stored. The secret lives only in this component's props; when
// the dialog closes, nothing in the page holds it any more.
import { useState } from 'preact/hooks';
import { Dialog } from './ui.js';

export function SecretDialog(props: { title: string; tokenName: string; secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  const [stored, setStored] = useState(false);
  const [nudge, setNudge] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.secret);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  const selectAll = (e: Event) => (e.currentTarget as HTMLInputElement).select();
  const leave = () => {
    if (stored) props.onDone();
    else setNudge(true);
  };

  return (
    <Dialog title={props.title} onCancel={leave} wide>
      <p>
        The secret of <strong>{props.tokenName}</strong>. <strong>You will not see it again</strong>: copy it now and keep it in a secret manager.
      </p>
      <div class="secret-box">
        <label for="new-secret" class="visually-hidden">
          Secret of {props.tokenName}
        </label>
        <input id="new-secret" class="secret" readOnly value={props.secret} onFocus={selectAll} spellcheck={false} autocomplete="off" />
        <button type="button" onClick={copy}>
          Copy
        </button>
      </div>
      <p role="status" class="hint">
        {copied === 'yes' ? 'Copied to the clipboard.' : copied === 'failed' ? 'The browser refused the clipboard: select the secret and copy it yourself.' : ''}
      </p>
      <label class="check">
        <input type="checkbox" checked={stored} onChange={(e) => setStored((e.currentTarget as HTMLInputElement).checked)} /> I have stored the secret somewhere safe
      </label>
      {nudge && !stored && (
        <p class="error" role="alert">
          Tick the box first: once this closes, the secret is gone for good.
        </p>
      )}
      <div class="actions">
        <button type="button" class="primary" onClick={leave} aria-disabled={!stored}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
