export { kafkaClient } from './kafka-client.ts';
export { ZSTD_OPTIONS } from './zstd-codec.ts';
