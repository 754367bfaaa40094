// cdktf records where each of its tokens was created (lib/tokens/private/stack-trace.js: a stack
// trace of unlimited depth, formatted at once) for the message it prints if a token cannot be
// resolved. A 1,000-bucket synth creates about 200,000 tokens, and formatting their traces is
// about 2.5 s of it. Inside `withoutTokenCreationStacks` those traces come out empty (cdktf then
// records no creation stack); stack traces of errors (instances of Error) are formatted as before.

type Prepare = (target: Error, frames: NodeJS.CallSite[]) => unknown;

/** V8's own format, for when no formatter was installed (Node itself installs one up to Node 20). */
const v8Format: Prepare = (target, frames) => [String(target), ...frames.map((f) => `    at ${f}`)].join("\n");

export function withoutTokenCreationStacks<T>(run: () => T): T {
  const previous: Prepare | undefined = Error.prepareStackTrace;
  Error.prepareStackTrace = (target: Error, frames: NodeJS.CallSite[]) => (target instanceof Error ? (previous ?? v8Format)(target, frames) : "");
  try {
    return run();
  } finally {
    (Error as { prepareStackTrace?: Prepare }).prepareStackTrace = previous;
  }
}
