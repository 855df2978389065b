// The `ini` package (the parser the Alibaba credentials SDK reads ~/.alibabacloud/credentials with)
// ships no types; this is the one function we call.
declare module 'ini' {
  export function parse(text: string): Record<string, unknown>;
}
