import { randomBytes } from 'node:crypto';

/** Uuid.ZERO_UUID and Uuid.METADATA_TOPIC_ID: Kafka never hands these out as ids. */
const RESERVED = new Set(['AAAAAAAAAAAAAAAAAAAAAA', 'AAAAAAAAAAAAAAAAAAAAAQ']);

/**
 * A KRaft cluster id made the way Kafka's `Uuid.randomUuid()` makes one: a random version-4 UUID
 * in unpadded base64url, drawn again while it is reserved or starts with `-`. Kafka draws again on
 * `-` because its command-line tools read such an argument as an option; a plain
 * `randomBytes(16).toString('base64url')` starts with `-` about one time in 64.
 */
export function newKafkaClusterId(random: (size: number) => Buffer = randomBytes): string {
  for (;;) {
    const bytes = Buffer.from(random(16));
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const id = bytes.toString('base64url');
    if (!id.startsWith('-') && !RESERVED.has(id)) return id;
  }
}
