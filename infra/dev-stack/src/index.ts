export { stackEndpoints, type StackEndpoints } from './endpoints.ts';
