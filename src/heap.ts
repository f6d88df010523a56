import v8 from 'node:v8';

/**
 * V8's young generation as shipshape's jobs want it, one place for both entries (the CLI and the
 * Action run the same engine). Figures in docs/benchmarks.md.
 */

/**
 * A large check allocates fast and briefly (parse events, report lines); left alone, V8 answers by
 * doubling its young generation up to 64 MiB semi-spaces, which costs memory and time: a
 * Deployment of 10,000 containers took 1.55 s instead of 1.15 s, and 50,000 objects peaked at 650
 * MiB instead of 520. Fixed larger semi-spaces were slower too: a small nursery is fastest here.
 * (`--heap-growing-percent=30` held the old generation down while the rules kept every violation
 * until the end; they are located as they are raised now, and without it 20,000 Deployments in
 * one file take 3.6 s instead of 5.2 s, at 364 MiB.)
 */
export function youngGenerationAtFirstSize(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}

/**
 * A page of a list (500 pods, about 10 MB of objects) lives until it is visited, then dies. With
 * the young generation held at its first size, every page outlives a few scavenges and is
 * promoted, and the old generation fills with dead pages; the drift job lets it grow as V8 usually
 * does. Measured on 42,000 pods: peak memory about 455 -> 395 MiB, a little less CPU.
 */
export function youngGenerationForPages(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=2');
}
