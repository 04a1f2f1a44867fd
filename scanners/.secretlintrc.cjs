// secretlint configuration with the tokens rule (README, Secret scanning). Copy this file and
// secretlint-rule-tokens.mjs into your repository, then: npx secretlint "**/*"
module.exports = {
  rules: [{ id: require('node:path').join(__dirname, 'secretlint-rule-tokens.mjs'), options: { prefixes: ['tkn'] } }],
};
