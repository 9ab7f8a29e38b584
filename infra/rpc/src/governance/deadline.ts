// Governance's names for the one deadline module (../deadline), which every layer uses.
export { deadlineExceeded, outgoingDeadline, remainingMs } from '../deadline/index.ts';
