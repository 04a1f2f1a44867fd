// Keeps one process.nextTick tick object alive for the life of the server, so that nextTick stays as
// cheap as in a bare script (~55 ns of CPU here instead of ~350 ns; the verify fast path calls it
// about five times per request, through node:http and streams).
//
// Why: nextTick builds each tick as an object literal with two symbol-keyed properties added one
// after the other, so V8 reaches its hidden class through a chain of map transitions, and V8 holds
// transitions weakly. Start-up runs a full (mark-compact) collection while no tick is pending; it
// collects those maps, the next tick builds the chain again as new maps, and the inline caches that
// read and write tick objects (in nextTick and in processTicksAndRejections) have then seen two
// shapes for one site and stay polymorphic/megamorphic for good. With one tick object reachable the
// maps survive every collection and the caches stay monomorphic.
//
// How: this module is the first import of main.ts, so the tick below is queued before start-up's
// collection; inside a nextTick callback, executionAsyncResource() is the tick object itself, and
// keeping it here keeps its map. Measured with a probe timing 200,000 chained nextTicks by CPU time
// in the running server, with and without this module, and as server CPU per introspect request
// (bench/RESULTS.md, Throughput).
import { executionAsyncResource } from 'node:async_hooks';

/** The kept tick object (exported only so that nothing treats it as unused). */
export let keptTick: object | undefined;

process.nextTick(() => {
  keptTick = executionAsyncResource();
});
