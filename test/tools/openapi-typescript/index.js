// openapi-typescript, resolved with the TypeScript 5 installed beside it (see package.json).
export { default, astToString } from 'openapi-typescript';
