import { Session } from 'node:inspector/promises';

export interface RunningCpuProfile {
  /** Stops the profile and gives it as V8 wrote it (a `.cpuprofile` file's JSON). */
  stop(): Promise<object>;
}

/**
 * A V8 CPU profile of this thread from now until `stop()`, through the inspector: a part of a
 * run (its measured window, a drain) rather than `--cpu-prof`'s whole process, where start-up
 * hides what the part costs. `samplingIntervalUs`: V8's own default (1 ms) when not given.
 */
export async function startCpuProfile(samplingIntervalUs?: number): Promise<RunningCpuProfile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  if (samplingIntervalUs !== undefined)
    await session.post('Profiler.setSamplingInterval', { interval: samplingIntervalUs });
  await session.post('Profiler.start');
  return {
    async stop() {
      const { profile } = await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}
