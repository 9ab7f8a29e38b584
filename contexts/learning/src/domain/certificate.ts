import { AggregateRoot, newId, type Clock } from '@strata/shared-kernel';
import { certificateCodeOf } from './certificate-code.ts';
import type { CertificateEventPayloads, CertificateEventType } from './certificate-events.ts';
import type { CertificateId } from './certificate-id.ts';
import type { CertificateSnapshot } from './certificate-snapshot.ts';
import type { CourseCompleted } from './enrollment-events.ts';

/**
 * Proof that a learner completed a course, issued once per enrollment when CourseCompleted is
 * announced (the store keeps one per learner and course; a repeated CourseCompleted finds it).
 * Anyone may verify it by its id. It has no method that changes it: a certificate is never taken
 * back silently, not by a refund that slipped through, not by a lesson added to the course later.
 */
export class Certificate extends AggregateRoot<CertificateId> {
  declare readonly id: CertificateId;
  readonly #fields: {
    -readonly [K in Exclude<keyof CertificateSnapshot, 'id' | 'version'>]: CertificateSnapshot[K];
  };

  private constructor(snapshot: CertificateSnapshot) {
    super(snapshot.version);
    const { id, version: _version, ...fields } = snapshot;
    this.id = id;
    this.#fields = fields;
  }

  static restore(snapshot: CertificateSnapshot): Certificate {
    return new Certificate(snapshot);
  }

  toSnapshot(): CertificateSnapshot {
    return { ...this.#fields, id: this.id, version: this.version };
  }

  get aggregateType(): 'Certificate' {
    return 'Certificate';
  }

  get learnerId(): string {
    return this.#fields.learnerId;
  }

  get courseId(): string {
    return this.#fields.courseId;
  }

  get enrollmentId(): string {
    return this.#fields.enrollmentId;
  }

  get issuedAt(): Date {
    return new Date(this.#fields.issuedAt);
  }

  /** The short, human-checkable code printed beside the id. */
  get code(): string {
    return certificateCodeOf(this.id);
  }

  /** The certificate of a completed course, from the enrollment's CourseCompleted. */
  static issue(
    completed: CourseCompleted,
    clock: Clock,
    id: CertificateId = newId<'Certificate'>(),
  ): Certificate {
    const issuedAt = clock.now();
    const certificate = new Certificate({
      id,
      version: 0,
      learnerId: completed.learnerId,
      courseId: completed.courseId,
      enrollmentId: completed.enrollmentId,
      issuedAt,
    });
    certificate.#emit(
      'CertificateIssued',
      {
        certificateId: id,
        code: certificate.code,
        learnerId: completed.learnerId,
        courseId: completed.courseId,
        enrollmentId: completed.enrollmentId,
        issuedAt: issuedAt.toISOString(),
      },
      issuedAt,
    );
    return certificate;
  }

  #emit<TType extends CertificateEventType>(
    type: TType,
    payload: CertificateEventPayloads[TType],
    occurredAt: Date,
  ): void {
    this.record(type, payload, occurredAt);
  }
}
