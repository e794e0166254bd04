// Preloaded into the gateway by `PROFILE_HEAP=1 pnpm bench:profile` (node --import): on
// the first SIGUSR2 it starts V8's sampling heap profiler, counting every sampled
// allocation whether or not it is still alive at the end (Node's own --heap-prof keeps
// only what survived, which says nothing of the allocation rate); on the second it
// writes the profile to HEAP_SAMPLE_OUT. Nothing else of the gateway changes.
import { renameSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const session = new Session();
session.connect();
let sampling = false;

process.on('SIGUSR2', async () => {
  if (!sampling) {
    sampling = true;
    await session.post('HeapProfiler.enable');
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: Number(process.env.HEAP_SAMPLE_INTERVAL ?? 4096),
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    return;
  }
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync(`${process.env.HEAP_SAMPLE_OUT}.partial`, JSON.stringify(profile));
  // Whole or not at all: the profiler script waits for this name.
  renameSync(`${process.env.HEAP_SAMPLE_OUT}.partial`, process.env.HEAP_SAMPLE_OUT);
});
