/** A publish Kafka did not acknowledge in time: what it carried counts as unsent and is sent again. */
export class PublishTimeoutError extends Error {
  constructor(ms: number) {
    super(
      `Kafka did not acknowledge the publish within ${ms} ms; the producer is replaced and the messages stay unsent`,
    );
    this.name = 'PublishTimeoutError';
  }
}
