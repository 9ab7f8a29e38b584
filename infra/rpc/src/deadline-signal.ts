// The governance modules' path to the deadline signal, which lives in the one deadline module (./deadline).
export { callSignal, DeadlineSignal, markDeadline, type CallSignal } from './deadline/index.ts';
