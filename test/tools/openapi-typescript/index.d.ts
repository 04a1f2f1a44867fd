// The two functions the tests use: a document in, TypeScript declarations out.
declare function openapiTS(document: object): Promise<unknown>;
export default openapiTS;
export declare function astToString(ast: unknown): string;
