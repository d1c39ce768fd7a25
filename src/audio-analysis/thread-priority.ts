import { execFileSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/** The kernel's thread id of the calling thread (`/proc/thread-self` links to `<pid>/task/<tid>`). */
export function currentThreadId(): number {
  return Number(readlinkSync('/proc/thread-self').split('/').pop());
}

/** Lowest nice value: the fallback when the scheduling policy cannot be changed. */
const LOWEST_NICE = 19;

/**
 * Runs the calling thread only on CPU time nothing else wants (Linux SCHED_IDLE): an analysis gives
 * way to the request thread and to anything else on the machine, and only takes longer on busy cores.
 * A niced thread still holds a core until its time slice ends, where a SCHED_IDLE one yields at
 * once, and a core running only SCHED_IDLE threads counts as idle when a woken thread looks for one.
 * Linux applies both nice and the policy per thread, so the rest of the process keeps its priority;
 * elsewhere they would apply to the whole process, so nothing is changed there.
 * There is no Node API for the policy: util-linux's `chrt` sets it; without it the thread is niced.
 */
export function runAtIdlePriority(): 'idle' | 'nice' | 'unchanged' {
  if (process.platform !== 'linux') return 'unchanged';
  try {
    execFileSync('chrt', ['--idle', '--pid', '0', String(currentThreadId())], { stdio: 'ignore' });
    return 'idle';
  } catch {
    try {
      setPriority(LOWEST_NICE);
      return 'nice';
    } catch {
      return 'unchanged';
    }
  }
}
