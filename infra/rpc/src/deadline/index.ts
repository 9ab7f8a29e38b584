export {
  abandonedCall,
  DeadlineExceededError,
  deadlineExceeded,
  deadlineExceededMessage,
  MAX_TIMER_MS,
  outgoingDeadline,
  remainingMs,
  timerDelay,
} from './deadline.ts';
export { callSignal, DeadlineSignal, markDeadline, type CallSignal } from './deadline-signal.ts';
export { DeadlineSweep } from './deadline-sweep.ts';
