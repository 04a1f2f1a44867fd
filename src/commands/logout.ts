// `tokens logout`: forget a profile's stored credential (keychain and file). The token itself stays valid.
import { defineCommand } from '../cli/define.js';
import { YES } from '../cli/shared-options.js';
import { confirmDestructive } from '../terminal/confirm.js';
import type { MessageResult } from '../terminal/output.js';

export default defineCommand({
  name: 'logout',
  summary: "Remove a profile's stored credential",
  description:
    'Deletes the credential stored for the profile from the OS keychain and from the 0600 file. The token itself\n' +
    'is not revoked: use "tokens revoke" for that.',
  examples: ['tokens logout', 'tokens logout --profile staging --yes'],
  options: { yes: YES },
  async run(opts, ctx) {
    const target = await ctx.target();
    const stored = target.stored?.credential;
    await confirmDestructive(ctx, {
      action: `log out of profile ${target.profile}`,
      changes: [`Remove the stored credential of profile "${target.profile}"${stored ? ` (${stored.name}, ${stored.id})` : ''} from this machine.`],
      question: `Log out of profile ${target.profile}?`,
      yes: opts.yes,
    });
    const removed = await (await ctx.credentials()).remove(target.profile);
    if (target.stored) {
      const { credential: _forgotten, ...rest } = target.stored;
      await (await ctx.profiles()).save(rest);
    }
    if (removed.keychainError && !removed.file) ctx.io.warn(`could not check the OS keychain: ${removed.keychainError}`);
    if (ctx.io.env.TOKENS_TOKEN) ctx.io.warn('TOKENS_TOKEN is still set in this environment');
    const anything = removed.keychain || removed.file;
    const where = [removed.keychain && 'the OS keychain', removed.file && 'the credentials file'].filter(Boolean).join(' and ');
    const result: MessageResult = {
      type: 'message',
      text: anything ? `✓ Logged out of profile ${target.profile} (removed from ${where})` : `No credential was stored for profile ${target.profile}`,
      json: { profile: target.profile, removed_from_keychain: removed.keychain, removed_from_file: removed.file },
    };
    return result;
  },
});
