// The `slack` format: the event as one readable message for a Slack incoming webhook ({"text": …}).
interface TokenSummary {
  id: string;
  name: string;
  expires_at?: string | null;
}

interface EventBody {
  type: string;
  data: { token?: TokenSummary; actor?: { id: string } | null; reason?: string | null; days_before?: number; refused?: number; window_seconds?: number; refusals?: Record<string, number>; message?: string };
}

const WHAT: Record<string, string> = {
  'token.created': 'was created',
  'token.updated': 'was updated',
  'token.scopes_changed': 'had its scopes changed',
  'token.rotated': 'was rotated',
  'token.suspended': 'was suspended',
  'token.resumed': 'was resumed',
  'token.revoked': 'was revoked',
  'token.expired': 'has expired',
};

/** Slack's mrkdwn needs &, < and > escaped. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function slackText(payload: string): string {
  const event = JSON.parse(payload) as EventBody;
  const { data } = event;
  const token = data.token ? `Token *${escape(data.token.name)}* (\`${data.token.id}\`)` : 'A token';
  const by = data.actor ? ` by \`${data.actor.id}\`` : '';
  const reason = data.reason ? ` — ${escape(data.reason)}` : '';
  switch (event.type) {
    case 'token.expiring':
      return `:hourglass: ${token} expires in ${data.days_before} day${data.days_before === 1 ? '' : 's'} (${data.token?.expires_at ?? 'soon'}).`;
    case 'auth.denied.burst': {
      const reasons = Object.entries(data.refusals ?? {})
        .filter(([, n]) => n)
        .map(([r, n]) => `${r} ${n}`)
        .join(', ');
      return `:rotating_light: ${token} was refused ${data.refused} times in ${data.window_seconds} s (${reasons}).`;
    }
    case 'webhook.test':
      return `:white_check_mark: Test event from tokens: this Slack webhook works.`;
    default:
      return `${token} ${WHAT[event.type] ?? `: ${event.type}`}${by}${reason}.`;
  }
}
