// secretlint rule for secrets of a `tokens` server (README, Secret scanning): <prefix>_<32 base62
// random><6 base62 CRC32>, reported only when the checksum is right, so random strings of the same
// shape are not. Options: { "prefixes": ["tkn"] } — the servers' --secret-prefix values.
// Needs Node ≥ 20.15 (zlib.crc32).
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const PREFIX = /^[a-z][a-z0-9]{1,7}$/;

/** The 6 base62 digits of the CRC-32 of `<prefix>_<random>`, most significant first. */
function checksum(body) {
  let crc = crc32(body);
  let digits = '';
  for (let i = 0; i < 6; i++) {
    digits = BASE62[crc % 62] + digits;
    crc = Math.floor(crc / 62);
  }
  return digits;
}

export const creator = {
  messages: {
    TOKENS_SECRET: {
      en: (props) => `found a tokens secret (${props.START}…); revoke it: tokens revoke --value - (paste it), or tokens scan --revoke`,
    },
  },
  meta: {
    id: 'secretlint-rule-tokens',
    recommended: true,
    type: 'scanner',
    supportedContentTypes: ['text'],
  },
  create(context, options = {}) {
    const t = context.createTranslator(creator.messages);
    const prefixes = options.prefixes ?? ['tkn'];
    for (const prefix of prefixes) if (!PREFIX.test(prefix)) throw new Error(`secretlint-rule-tokens: "${prefix}" is not a secret prefix`);
    const pattern = new RegExp(`\\b(?:${prefixes.join('|')})_[0-9A-Za-z]{38}\\b`, 'g');
    return {
      file(source) {
        for (const match of source.content.matchAll(pattern)) {
          const secret = match[0];
          if (checksum(secret.slice(0, -6)) !== secret.slice(-6)) continue;
          const start = secret.slice(0, secret.indexOf('_') + 7);
          context.report({ message: t('TOKENS_SECRET', { START: start }), range: [match.index, match.index + secret.length] });
        }
      },
    };
  },
};
