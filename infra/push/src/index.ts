export type { FanOut } from './fan-out.ts';
export { MemoryFanOut } from './memory-fan-out.ts';
export { emptyPushCounters, type PushCounters } from './push-counters.ts';
export { PushHub, type PushHubOptions, type Refusal } from './push-hub.ts';
export {
  Delivery,
  GOODBYES,
  type GoodbyeReason,
  type PushTransport,
  type ReadyState,
} from './push-transport.ts';
export { RedisFanOut, type RedisFanOutOptions } from './redis-fan-out.ts';
export { SSE_HEADERS, SseTransport } from './sse-transport.ts';
export type { StreamCatchUp, StreamHistory } from './stream-history.ts';
export {
  LastEventIdSchema,
  lastEventIdOf,
  StreamMarkSchema,
  type StreamItem,
  type StreamMark,
} from './stream-mark.ts';
export {
  refusalError,
  SubscribeMessage,
  upgradeToken,
  WebSocketEndpoint,
  type UpgradeRefusal,
  type WebSocketEndpointOptions,
} from './websocket-endpoint.ts';
export { socketMessage, WebSocketTransport } from './websocket-transport.ts';
